package report

// pageTemplate is report.html: one self-contained page, no scripts, no
// external resources. The log-scale switch is two radio buttons and CSS.
const pageTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>quantloop report: {{.R.Config.Strategy.Name}}</title>
<style>
body{font-family:"Liberation Sans",Arial,Helvetica,sans-serif;margin:0 auto;max-width:1000px;padding:16px 24px;color:#222;background:#fff}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#555;margin:0 0 12px}
.warn{background:#fff6e0;border:1px solid #d68910;color:#6e4a05;padding:4px 12px;margin:12px 0}.warn h2{border:0;margin:6px 0}
.partial{background:#fdecea;border:1px solid #c0392b;color:#7b1d12;padding:8px 12px;margin:12px 0;font-weight:bold}
table{border-collapse:collapse;font-size:13px}th,td{padding:3px 8px;text-align:right;border-bottom:1px solid #eee;white-space:nowrap}
th{background:#f4f6f8;font-weight:600}td.l,th.l{text-align:left}
.figs td:first-child{text-align:left;font-weight:600}.figs td.note{text-align:left;color:#777}
.heat td{min-width:38px}
svg.chart{width:100%;height:auto;display:block}
pre{background:#f7f7f7;border:1px solid #e5e5e5;padding:8px;font-size:12px;overflow:auto;max-height:320px}
.toggle input{margin-left:12px}.eq-log{display:none}
#scale-log:checked~.eq-lin{display:none}#scale-log:checked~.eq-log{display:block}
.scroll{max-height:480px;overflow:auto}
details{margin:8px 0}
</style>
</head>
<body>
<h1>quantloop report: {{.R.Config.Strategy.Name}}</h1>
<p class="sub">{{.R.Start}} .. {{.R.End}} &middot; {{.R.Bars}} bars, {{.R.Timestamps}} bar times &middot; initial cash {{.R.InitialCash}} &middot; final equity {{.R.FinalEquity.StringFixed 2}}{{if .HasBenchmark}} &middot; benchmark: buy and hold of {{.A.Benchmark.Name}}{{end}}</p>
{{if not .R.Bars}}<div class="partial">EMPTY RUN: no bar was processed{{if .R.Error}} ({{.R.Error}}){{else}} (the data has no rows){{end}}. There is nothing to measure or chart.</div>{{else if .R.Partial}}<div class="partial">PARTIAL RUN: the run stopped before the end of its data{{if .R.Error}}: {{.R.Error}}{{end}}. Every figure covers only the bars processed.</div>{{end}}{{with .R.Warnings}}
<section id="warnings" class="warn"><h2>Warnings</h2><ul>
{{range .}}<li><b>{{.Code}}</b>: {{.Message}}</li>
{{end}}</ul></section>{{end}}
{{with .R.Outputs}}<p class="sub">Outputs {{.Level}}: equity.csv holds {{.EquityRows}}; every figure and chart here covers every bar.</p>{{end}}{{if .R.SameBarFills}}<p class="sub">Note: close-at-end filled orders at the last bar's close (same-bar execution).</p>{{end}}

<h2>Key figures</h2>
<table class="figs">
<tr><th class="l">metric</th><th>strategy</th><th>{{if .HasBenchmark}}benchmark{{end}}</th><th class="l">convention</th></tr>
{{range .Figures}}<tr><td>{{.Name}}</td><td>{{.Strategy}}</td><td>{{.Benchmark}}</td><td class="note">{{.Note}}</td></tr>
{{end}}</table>

<h2>Equity</h2>
<div class="toggle">
<input type="radio" name="scale" id="scale-lin" checked><label for="scale-lin">linear</label>
<input type="radio" name="scale" id="scale-log"><label for="scale-log">log scale</label>
<div class="eq-lin">{{index .Charts "equity"}}</div>
<div class="eq-log">{{index .Charts "equitylog"}}</div>
</div>
{{if .R.Markers}}<p class="sub">Markers: {{range $i, $m := .R.Markers}}{{if $i}}; {{end}}{{$m.Time}} {{$m.Label}}{{end}}</p>{{end}}
{{index .Charts "underwater"}}

<h2>Drawdowns (top 5)</h2>
<table>
<tr><th>#</th><th class="l">peak</th><th class="l">valley</th><th class="l">recovery</th><th>depth</th><th>business days</th><th>bars</th></tr>
{{range $i, $d := .A.Drawdowns}}<tr><td>{{inc $i}}</td><td class="l">{{$d.Peak}}</td><td class="l">{{$d.Valley}}</td><td class="l">{{if $d.Recovery}}{{$d.Recovery}}{{else}}not recovered{{end}}</td><td>{{pct $d.Depth}}</td><td>{{if $d.Recovery}}{{$d.Duration}}{{else}}-{{end}}</td><td>{{$d.Bars}}</td></tr>
{{else}}<tr><td colspan="7" class="l">no drawdown</td></tr>
{{end}}</table>

<h2>Monthly returns (%)</h2>
<table class="heat">
<tr><th class="l">year</th><th>Jan</th><th>Feb</th><th>Mar</th><th>Apr</th><th>May</th><th>Jun</th><th>Jul</th><th>Aug</th><th>Sep</th><th>Oct</th><th>Nov</th><th>Dec</th><th>year</th></tr>
{{range .Monthly.Rows}}<tr><td class="l">{{.Year}}</td>{{range .Cells}}<td style="{{.Style}}">{{.Text}}</td>{{end}}<td style="{{.Annual.Style}}"><b>{{.Annual.Text}}</b></td></tr>
{{end}}</table>
{{index .Charts "annual"}}

<h2>Rolling Sharpe</h2>
{{index .Charts "rolling"}}

<h2>Trades</h2>
{{index .Charts "trades"}}
<p class="sub">MAE and MFE: worst and best price excursion while open, in % of the mean entry price. Return: net P&amp;L / (quantity &times; entry price).</p>
<div class="scroll"><table>
<tr>{{range .TradeHeader}}<th>{{.}}</th>{{end}}</tr>
{{range .Trades}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table></div>
{{if .TradesCut}}<p class="sub">{{.TradesCut}} more trades in trades.csv.</p>{{end}}

<h2>All metrics</h2>
<details><summary>returns, benchmark and trade statistics (results.json)</summary>
<table class="figs">
<tr><td>downside risk</td><td>{{pct .A.Returns.DownsideRisk}}</td></tr>
<tr><td>omega</td><td>{{.A.Returns.Omega}}</td></tr>
<tr><td>tail ratio</td><td>{{.A.Returns.TailRatio}}</td></tr>
<tr><td>stability</td><td>{{.A.Returns.Stability}}</td></tr>
<tr><td>CVaR (5 %)</td><td>{{pct .A.Returns.CVaR}}</td></tr>
<tr><td>skew (scipy)</td><td>{{.A.Returns.Skew}}</td></tr>
<tr><td>excess kurtosis (scipy)</td><td>{{.A.Returns.Kurtosis}}</td></tr>
<tr><td>recovery factor</td><td>{{.A.Returns.RecoveryFactor}}</td></tr>
<tr><td>ulcer index</td><td>{{.A.Returns.UlcerIndex}}</td></tr>
<tr><td>exposure</td><td>{{pct .A.Returns.Exposure}}</td></tr>
<tr><td>best / worst month</td><td>{{pct .A.Returns.BestMonth}} / {{pct .A.Returns.WorstMonth}}</td></tr>
<tr><td>trade gross profit / loss</td><td>{{.T.GrossProfit}} / {{.T.GrossLoss}}</td></tr>
<tr><td>largest win / loss</td><td>{{.T.LargestWin}} / {{.T.LargestLoss}}</td></tr>
<tr><td>longest win / loss streak</td><td>{{.T.LongestWinStreak}} / {{.T.LongestLossStreak}}</td></tr>
<tr><td>median / min / max holding time</td><td>{{.T.MedianDuration}} / {{.T.MinDuration}} / {{.T.MaxDuration}}</td></tr>
</table>
</details>

<h2>Configuration</h2>
<pre>{{.Config}}</pre>
<h2>Manifest</h2>
<pre>{{.Manifest}}</pre>
<p class="sub">The SHA-256 of every output file is in manifest.json. Re-check with <code>quantloop verify DIR</code>.</p>
</body>
</html>
`
