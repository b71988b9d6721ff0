# The quantloop image for batch schedulers (docs/kubernetes/sweep-job.yaml):
# the static binary (no cgo: the run store's SQLite is pure Go) on
# distroless static, running as its nonroot user, with the daily test
# data and the example sweep's config in /work.
#
#   docker build -t quantloop:latest .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /quantloop ./cmd/quantloop

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /quantloop /usr/local/bin/quantloop
COPY testdata/daily /work/daily
COPY docs/kubernetes/sweep.yaml /work/sweep.yaml
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/quantloop"]
