// Conformance runner for openapi-generator's `java` client (../generated, from ../config.yaml).
// Usage: java @build/runner.args ai.scopix.conformance.Conformance PLAN.json (scripts/
// conformance.py runs it). It prints one JSON line per scenario:
// {"id", "ok": result} | {"id", "error": {status, type, body}} | {"id", "failure"}.
//
// Each scenario calls a UsageApi method by name, with reflection: operation `get_details` is
// getDetails(startDate, endDate, ...), its positional parameters matched to the scenario's
// arguments by name (`start_date` -> startDate; the client is compiled with -parameters) and
// converted to their Java types (OffsetDateTime, LocalDate, Integer, Boolean, String, an enum).
// The result is the generated model, written back as JSON by the client's own ObjectMapper.
package ai.scopix.conformance;

import ai.scopix.client.ApiClient;
import ai.scopix.client.ApiException;
import ai.scopix.client.api.UsageApi;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public final class Conformance {
  private static final ObjectMapper REPORTS = new ObjectMapper();

  private Conformance() {}

  /** One client per server and key, as an application would keep it. */
  private record Client(ApiClient api, UsageApi usage) {
    static Client of(String baseUrl, String apiKey) {
      ApiClient api = new ApiClient();
      api.updateBaseUri(baseUrl);
      // The native library has no bearer-token setting: every request gets the header here.
      api.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + apiKey));
      return new Client(api, new UsageApi(api));
    }
  }

  /** get_details -> getDetails (upper: GetDetails). */
  static String camel(String name, boolean upper) {
    StringBuilder out = new StringBuilder();
    for (String word : name.split("_")) {
      if (!word.isEmpty()) {
        out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    if (!upper && out.length() > 0) {
      out.setCharAt(0, Character.toLowerCase(out.charAt(0)));
    }
    return out.toString();
  }

  static Object convert(JsonNode value, Class<?> type) throws ReflectiveOperationException {
    if (type == String.class) {
      return value.asText();
    }
    if (type == Integer.class && value.canConvertToInt()) {
      return value.intValue();
    }
    if (type == Long.class && value.canConvertToLong()) {
      return value.longValue();
    }
    if (type == Boolean.class && value.isBoolean()) {
      return value.booleanValue();
    }
    if (type == OffsetDateTime.class) {
      return OffsetDateTime.parse(value.asText());
    }
    if (type == LocalDate.class) {
      return LocalDate.parse(value.asText());
    }
    if (type.isEnum()) { // the generated enums parse their wire values with fromValue
      return type.getMethod("fromValue", String.class).invoke(null, value.asText());
    }
    throw new IllegalArgumentException("no conversion of " + value + " to " + type.getName());
  }

  /** The method without the trailing `Map<String, String> headers` overload. */
  static Method method(String operation) {
    String name = camel(operation, false);
    for (Method m : UsageApi.class.getMethods()) {
      Class<?>[] types = m.getParameterTypes();
      boolean headers = types.length > 0 && types[types.length - 1] == Map.class;
      if (m.getName().equals(name) && !headers) {
        return m;
      }
    }
    throw new IllegalArgumentException("UsageApi has no method " + name);
  }

  static Object call(Client client, String operation, Map<String, JsonNode> args)
      throws Exception {
    Method method = method(operation);
    Map<String, JsonNode> byName = new HashMap<>();
    args.forEach((name, value) -> byName.put(camel(name, false), value));
    Parameter[] params = method.getParameters();
    Object[] values = new Object[params.length];
    for (int i = 0; i < params.length; i++) {
      JsonNode value = byName.remove(params[i].getName());
      values[i] = value == null ? null : convert(value, params[i].getType());
    }
    if (!byName.isEmpty()) {
      throw new IllegalArgumentException(method.getName() + " has no parameter " + byName.keySet());
    }
    try {
      return method.invoke(client.usage(), values);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  static JsonNode run(Client client, JsonNode scenario) throws Exception {
    String operation = scenario.get("operation").asText();
    Map<String, JsonNode> args = new HashMap<>();
    scenario.get("args").fields().forEachRemaining(e -> args.put(e.getKey(), e.getValue()));
    ObjectMapper mapper = client.api().getObjectMapper();
    JsonNode pages = scenario.get("pages");
    if (pages == null || pages.isNull()) {
      return mapper.valueToTree(call(client, operation, args));
    }
    String getter = "get" + camel(pages.get("items").asText(), true);
    ArrayNode items = mapper.createArrayNode();
    int offset = 0;
    while (true) {
      Map<String, JsonNode> page = new HashMap<>(args);
      page.put("limit", pages.get("limit"));
      page.put("offset", mapper.getNodeFactory().numberNode(offset));
      Object result = call(client, operation, page);
      List<?> batch = (List<?>) result.getClass().getMethod(getter).invoke(result);
      for (Object item : batch) {
        items.add(mapper.<JsonNode>valueToTree(item));
      }
      if (!Boolean.TRUE.equals(result.getClass().getMethod("getHasMore").invoke(result))) {
        return items;
      }
      offset += batch.size();
    }
  }

  static ObjectNode error(ApiException e) {
    ObjectNode error = REPORTS.createObjectNode();
    error.put("status", e.getCode()).put("type", e.getClass().getSimpleName());
    String body = e.getResponseBody();
    try {
      error.set("body", body == null || body.isEmpty() ? null : REPORTS.readTree(body));
    } catch (JsonProcessingException notJson) {
      error.set("body", new TextNode(body));
    }
    return error;
  }

  public static void main(String[] argv) throws IOException {
    JsonNode plan = REPORTS.readTree(new File(argv[0]));
    // UTF-8 whatever the JVM's default charset (CI may run without a locale).
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    Map<List<String>, Client> clients = new HashMap<>();
    for (JsonNode scenario : plan.get("scenarios")) {
      List<String> server =
          List.of(scenario.get("base_url").asText(), scenario.get("api_key").asText());
      Client client = clients.computeIfAbsent(server, s -> Client.of(s.get(0), s.get(1)));
      ObjectNode report = REPORTS.createObjectNode().put("id", scenario.get("id").asText());
      try {
        report.set("ok", run(client, scenario));
      } catch (ApiException e) {
        report.set("error", error(e));
      } catch (Exception e) {
        report.put("failure", e.getClass().getName() + ": " + e.getMessage());
      }
      out.println(REPORTS.writeValueAsString(report));
    }
  }
}
