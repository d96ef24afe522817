module github.com/japacx/aisand

go 1.26.0

require github.com/go-logfmt/logfmt v0.6.1
