module github.com/quantloop/quantloop

go 1.26

require (
	github.com/jszwec/csvutil v1.10.0
	github.com/shopspring/decimal v1.6.0
)
