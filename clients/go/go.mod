// The conformance runner's module: the generated client (./generated, from config.yaml) and
// ./runner, with no third-party requirement, so Debian's Go builds it offline.
module scopixconformance

go 1.19
