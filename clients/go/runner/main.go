// Conformance runner for openapi-generator's `go` client (../generated, from ../config.yaml).
// Usage: conformance PLAN.json (scripts/conformance.py runs it). It prints one JSON line per
// scenario: {"id", "ok": result} | {"id", "error": {status, type, body}} | {"id", "failure"}.
//
// Each scenario is called through the generated request builders by name, with reflection:
// operation `get_details` is UsageAPI.GetDetails(ctx), argument `api_key_id` is .ApiKeyId(v),
// converted to the builder's parameter type (time.Time, int32, bool, a string or enum type).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"strings"
	"time"

	scopix "scopixconformance/generated"
)

type scenario struct {
	ID        string                 `json:"id"`
	Operation string                 `json:"operation"`
	BaseURL   string                 `json:"base_url"`
	APIKey    string                 `json:"api_key"`
	Args      map[string]interface{} `json:"args"`
	Pages     *struct {
		Items string `json:"items"`
		Limit int    `json:"limit"`
	} `json:"pages"`
}

// goName turns a spec name into the generated Go name: get_details -> GetDetails.
func goName(name string) string {
	parts := strings.Split(name, "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}

func convert(value interface{}, to reflect.Type) (reflect.Value, error) {
	if to == reflect.TypeOf(time.Time{}) {
		t, err := time.Parse(time.RFC3339Nano, fmt.Sprint(value))
		return reflect.ValueOf(t), err
	}
	switch to.Kind() {
	case reflect.String:
		return reflect.ValueOf(fmt.Sprint(value)).Convert(to), nil
	case reflect.Int32, reflect.Int64, reflect.Int:
		n, ok := value.(float64)
		if !ok {
			return reflect.Value{}, fmt.Errorf("%v is not a number", value)
		}
		return reflect.ValueOf(n).Convert(to), nil
	case reflect.Bool:
		return reflect.ValueOf(value), nil
	}
	return reflect.Value{}, fmt.Errorf("no conversion to %s", to)
}

type apiError struct {
	Status int         `json:"status"`
	Type   string      `json:"type"`
	Body   interface{} `json:"body"`
}

// call runs one request; the result is the generated model (a pointer to a struct).
func call(client *scopix.APIClient, s scenario, args map[string]interface{}) (reflect.Value, error) {
	ctx := context.WithValue(context.Background(), scopix.ContextAccessToken, s.APIKey)
	method := reflect.ValueOf(client.UsageAPI).MethodByName(goName(s.Operation))
	if !method.IsValid() {
		return reflect.Value{}, fmt.Errorf("UsageAPI has no method %s", goName(s.Operation))
	}
	req := method.Call([]reflect.Value{reflect.ValueOf(ctx)})[0]
	for name, value := range args {
		setter := req.MethodByName(goName(name))
		if !setter.IsValid() {
			return reflect.Value{}, fmt.Errorf("%s has no parameter %s", req.Type(), goName(name))
		}
		v, err := convert(value, setter.Type().In(0))
		if err != nil {
			return reflect.Value{}, fmt.Errorf("%s: %w", name, err)
		}
		req = setter.Call([]reflect.Value{v})[0]
	}
	out := req.MethodByName("Execute").Call(nil)
	if err, _ := out[2].Interface().(error); err != nil {
		var apiErr *scopix.GenericOpenAPIError
		resp, _ := out[1].Interface().(*http.Response)
		if errors.As(err, &apiErr) && resp != nil {
			var body interface{} = apiErr.Model()
			if body == nil {
				body = json.RawMessage(apiErr.Body())
			}
			return reflect.Value{}, &reportedError{apiError{resp.StatusCode, fmt.Sprintf("%T", err), body}}
		}
		return reflect.Value{}, err
	}
	return out[0], nil
}

type reportedError struct{ apiError }

func (e *reportedError) Error() string { return fmt.Sprintf("status %d", e.Status) }

func run(client *scopix.APIClient, s scenario) (interface{}, error) {
	if s.Pages == nil {
		result, err := call(client, s, s.Args)
		if err != nil {
			return nil, err
		}
		return result.Interface(), nil
	}
	var items []interface{}
	offset := 0
	for {
		args := map[string]interface{}{"limit": float64(s.Pages.Limit), "offset": float64(offset)}
		for k, v := range s.Args {
			args[k] = v
		}
		page, err := call(client, s, args)
		if err != nil {
			return nil, err
		}
		batch := page.Elem().FieldByName(goName(s.Pages.Items))
		for i := 0; i < batch.Len(); i++ {
			items = append(items, batch.Index(i).Interface())
		}
		if !page.Elem().FieldByName("HasMore").Bool() {
			return items, nil
		}
		offset += batch.Len()
	}
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var plan struct {
		Scenarios []scenario `json:"scenarios"`
	}
	if err := json.Unmarshal(raw, &plan); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	clients := map[string]*scopix.APIClient{}
	out := json.NewEncoder(os.Stdout)
	for _, s := range plan.Scenarios {
		client, ok := clients[s.BaseURL]
		if !ok {
			cfg := scopix.NewConfiguration()
			cfg.Servers = scopix.ServerConfigurations{{URL: s.BaseURL}}
			client = scopix.NewAPIClient(cfg)
			clients[s.BaseURL] = client
		}
		report := map[string]interface{}{"id": s.ID}
		result, err := run(client, s)
		var reported *reportedError
		switch {
		case errors.As(err, &reported):
			report["error"] = reported.apiError
		case err != nil:
			report["failure"] = err.Error()
		default:
			report["ok"] = result
		}
		if err := out.Encode(report); err != nil {
			out.Encode(map[string]interface{}{"id": s.ID, "failure": err.Error()})
		}
	}
}
