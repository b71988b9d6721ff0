module example.com/newcomer

go 1.26.0
