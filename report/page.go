package report

// pageTemplate is report.html: one self-contained page with no external
// resources. The equity scale and the return-distribution switches are
// radio buttons and CSS; the one script sorts the trade table by a
// column when its header is clicked. Each section has a stable id.
const pageTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:"Liberation Sans",Arial,Helvetica,sans-serif;margin:0 auto;max-width:1040px;padding:12px 20px;color:#222;background:#fff}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:14px;margin:14px 0 6px}
.sub{color:#555;margin:0 0 10px}
nav{font-size:12px;color:#555;margin:4px 0 8px}nav a{color:#1f5fa8;margin-right:8px;text-decoration:none}
.warn{background:#fff6e0;border:1px solid #d68910;color:#6e4a05;padding:4px 12px;margin:12px 0}.warn h2{border:0;margin:6px 0}.warn a{color:#6e4a05}
.partial{background:#fdecea;border:1px solid #c0392b;color:#7b1d12;padding:8px 12px;margin:8px 0;font-weight:bold}
table{border-collapse:collapse;font-size:13px}th,td{padding:3px 7px;text-align:right;border-bottom:1px solid #eee;white-space:nowrap}
th{background:#f4f6f8;font-weight:600}td.l,th.l{text-align:left}
td.g{color:#1e7a45}td.r{color:#b03a2e}
.figs td:first-child{text-align:left;font-weight:600}.figs td.note{text-align:left;color:#777;white-space:normal}
.heat td{min-width:36px}.heat tr.bench td{color:#555;font-size:11px;border-bottom:1px solid #ccc}
svg.chart{width:100%;height:auto;display:block}
pre{background:#f7f7f7;border:1px solid #e5e5e5;padding:8px;font-size:12px;overflow:auto;max-height:320px}
.toggle input{margin-left:12px}.eq-log,.d-week,.d-month{display:none}
#scale-log:checked~.eq-lin{display:none}#scale-log:checked~.eq-log{display:block}
#dist-week:checked~.d-bar,#dist-month:checked~.d-bar{display:none}#dist-week:checked~.d-week{display:block}#dist-month:checked~.d-month{display:block}
.trades{font-size:12px;width:100%}.trades th,.trades td{padding:2px 5px}.trades th{cursor:pointer;user-select:none;position:sticky;top:0}
.scroll{max-height:520px;overflow-y:auto;overflow-x:hidden}
details{margin:8px 0}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="sub">{{.Sub}}</p>
<nav><a href="#key-figures">key figures</a><a href="#equity">equity</a><a href="#drawdowns">drawdowns</a><a href="#exposure">exposure</a><a href="#positions">positions</a><a href="#by-symbol">by symbol</a><a href="#rolling">rolling</a><a href="#return-distribution">return distribution</a><a href="#monthly">monthly</a><a href="#annual">annual</a><a href="#trades">trades</a>{{if .Details}}<a href="#details">run details</a>{{end}}</nav>
{{if or .Warnings (not .R.Bars) .R.Partial}}<section id="warnings" class="warn"><h2>Warnings</h2>
{{if not .R.Bars}}<div class="partial">EMPTY RUN: no bar was processed{{if .R.Error}} ({{.R.Error}}){{else}} (the data has no rows){{end}}. There is nothing to measure or chart.</div>{{else if .R.Partial}}<div class="partial">PARTIAL RUN: the run stopped before the end of its data{{if .R.Error}}: {{.R.Error}}{{end}}. Every figure covers only the bars processed. <a href="#details">details</a></div>{{end}}
{{with .Warnings}}<ul>
{{range .}}<li><b>{{.Code}}</b>: {{.Message}} <a href="#{{.Link}}">details</a></li>
{{end}}</ul>{{end}}</section>{{end}}
{{with .R.Outputs}}<p class="sub">Outputs {{.Level}}: equity.csv holds {{.EquityRows}}; every figure and chart here covers every bar.</p>{{end}}{{if .R.SameBarFills}}<p class="sub">Note: close-at-end filled orders at the last bar's close (same-bar execution).</p>{{end}}

<section id="key-figures"><h2>Key figures</h2>
<table class="figs">
<tr><th class="l">metric</th><th>strategy</th><th>{{if .HasBenchmark}}benchmark{{end}}</th><th class="l">convention</th></tr>
{{range .Figures}}<tr><td>{{.Name}}</td><td>{{.Strategy}}</td><td>{{.Benchmark}}</td><td class="note">{{.Note}}</td></tr>
{{end}}</table></section>

<section id="equity"><h2>Equity</h2>
<div class="toggle">
<input type="radio" name="scale" id="scale-lin"{{if not .LogDefault}} checked{{end}}><label for="scale-lin">linear</label>
<input type="radio" name="scale" id="scale-log"{{if .LogDefault}} checked{{end}}><label for="scale-log">log scale</label>
<div class="eq-lin">{{index .Charts "equity"}}</div>
<div class="eq-log">{{index .Charts "equitylog"}}</div>
</div>
<p class="sub">Shaded: the worst drawdowns, numbered as in the table below, from peak to recovery.{{if .LogDefault}} The log scale is shown first because the equity grew more than 10× over the run.{{end}}</p>
{{if .R.Markers}}<p class="sub">Markers: {{range $i, $m := .R.Markers}}{{if $i}}; {{end}}{{when $m.Time}} {{$m.Label}}{{end}}</p>{{end}}
{{index .Charts "underwater"}}</section>

<section id="drawdowns"><h2>Drawdowns (top 5)</h2>
<table>
<tr><th>#</th><th class="l">peak</th><th class="l">valley</th><th class="l">recovery</th><th>depth</th><th>business days</th><th>bars</th></tr>
{{range .Drawdowns}}<tr>{{range $i, $c := .}}<td{{if and $i (lt $i 4)}} class="l"{{end}}>{{$c}}</td>{{end}}</tr>
{{else}}<tr><td colspan="7" class="l">no drawdown</td></tr>
{{end}}</table></section>

<section id="exposure"><h2>Exposure</h2>
{{index .Charts "exposure"}}
{{with .ExposureNote}}<p class="sub">{{.}}</p>{{end}}
<table class="figs">
{{range .Exposure}}<tr><td>{{.Name}}</td><td>{{.Strategy}}</td><td class="note">{{.Note}}</td></tr>
{{end}}</table>
<p class="sub">Fractions of the equity at each bar: net is the market value of the positions (shorts negative), gross the sum of their absolute values, which is also the gross leverage. Each point is the mean over a run of consecutive bars.</p></section>

<section id="positions"><h2>Positions</h2>
{{with .Positions}}<p class="sub">{{.}}</p>{{else}}{{index $.Charts "weights"}}{{end}}</section>

<section id="by-symbol"><h2>By symbol</h2>
<table>
<tr><th class="l">symbol</th><th>closed trades</th><th>open</th><th>win rate</th><th>net P&amp;L</th><th>of initial cash</th><th>traded value</th></tr>
{{range .BySymbol}}<tr>{{range $i, $c := .}}<td{{if not $i}} class="l"{{end}}>{{$c}}</td>{{end}}</tr>
{{else}}<tr><td colspan="7" class="l">no trades</td></tr>
{{end}}</table>
<p class="sub">Net P&amp;L of all trades, open ones marked at the last close, after commission.</p></section>

<section id="rolling"><h2>Rolling statistics</h2>
{{index .Charts "rolling"}}
{{index .Charts "rollingvol"}}
{{if .HasBenchmark}}{{index .Charts "rollingbeta"}}{{end}}
<p class="sub">Trailing windows of {{.Window}} periods (half a year of bars). Beta: cov(strategy, benchmark) / var(benchmark) of the returns in the window.</p></section>

<section id="return-distribution"><h2>Return distribution</h2>
<div class="toggle">
<input type="radio" name="dist" id="dist-bar" checked><label for="dist-bar">{{.BarLabel}}</label>
<input type="radio" name="dist" id="dist-week"><label for="dist-week">weekly</label>
<input type="radio" name="dist" id="dist-month"><label for="dist-month">monthly</label>
<div class="d-bar">{{index .Charts "dist-bar"}}</div>
<div class="d-week">{{index .Charts "dist-week"}}</div>
<div class="d-month">{{index .Charts "dist-month"}}</div>
</div>
<table class="figs">
<tr><th class="l">returns</th><th>count</th><th>VaR (5 %)</th><th class="l">bins</th></tr>
{{range .Distribution}}<tr><td>{{.Name}}</td><td>{{.Strategy}}</td><td>{{.Benchmark}}</td><td class="note">{{.Note}}</td></tr>
{{end}}</table>
<p class="sub">The curve is the normal density of the same mean and standard deviation; the dashed line is the historical 5 % value at risk.</p></section>

<section id="monthly"><h2>Monthly returns (%)</h2>
<table class="heat">
<tr><th class="l">year</th><th>Jan</th><th>Feb</th><th>Mar</th><th>Apr</th><th>May</th><th>Jun</th><th>Jul</th><th>Aug</th><th>Sep</th><th>Oct</th><th>Nov</th><th>Dec</th><th>year</th></tr>
{{range .Monthly.Rows}}<tr{{if .Bench}} class="bench"{{end}}><td class="l">{{.Year}}</td>{{range .Cells}}<td style="{{.Style}}">{{.Text}}</td>{{end}}<td style="{{.Annual.Style}}"><b>{{.Annual.Text}}</b></td></tr>
{{end}}</table></section>

<section id="annual"><h2>Annual returns</h2>
{{index .Charts "annual"}}
<table>
<tr><th class="l">year</th><th>strategy</th>{{if .HasBenchmark}}<th>benchmark</th><th>difference</th>{{end}}</tr>
{{range .Annual}}<tr>{{range $i, $c := .}}<td{{if not $i}} class="l"{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}</table></section>

<section id="trades"><h2>Trades</h2>
{{index .Charts "trades"}}
{{with .TradeHist}}<p class="sub">{{.}}</p>{{end}}
<p class="sub">{{.TradeNote}} MAE and MFE: worst and best price excursion while open, in % of the mean entry price. Return: net P&amp;L / (quantity &times; entry price).</p>
<div class="scroll"><table class="trades sortable">
<thead><tr><th>#</th><th class="l">symbol</th><th class="l">side</th><th>qty</th><th class="l">entry</th><th>entry price</th><th class="l">exit</th><th>exit price</th><th>net P&amp;L</th><th>return</th><th>bars</th><th>MAE</th><th>MFE</th></tr></thead>
<tbody>
{{.TradeRows}}</tbody></table></div></section>
{{if .Details}}
<section id="details"><h2>Run details</h2>
{{with .R.Error}}<p>The run ended with: {{.}}</p>{{end}}
{{with .R.HandlerErrors}}<h3 id="handler-errors">Handler failures</h3><table><tr><th class="l">time</th><th class="l">component</th><th class="l">message</th></tr>
{{range .}}<tr><td class="l">{{when .Time}}</td><td class="l">{{.Component}}</td><td class="l">{{.Message}}</td></tr>
{{end}}</table>{{end}}
{{if or .R.RejectedOrders .R.RiskRefusals}}<h3 id="rejections">Rejected orders</h3><p>{{.R.RejectedOrders}} orders rejected (see orders.csv, status rejected, for each reason).</p>
{{with .R.RiskRefusals}}<table><tr><th class="l">risk rule</th><th>orders refused</th></tr>
{{range $k, $n := .}}<tr><td class="l">{{$k}}</td><td>{{$n}}</td></tr>
{{end}}</table>{{end}}{{end}}
{{with .R.KillSwitch.Events}}<h3 id="kill-switch">Kill switch</h3><table><tr><th class="l">time</th><th class="l">action</th><th class="l">reason</th><th>equity</th></tr>
{{range .}}<tr><td class="l">{{when .Time}}</td><td class="l">{{.Action}}</td><td class="l">{{.Reason}}</td><td>{{.Equity}}</td></tr>
{{end}}</table>{{end}}
{{with .R.Breakers}}<h3 id="breakers">Circuit breakers</h3><table><tr><th class="l">component</th><th class="l">state</th><th>failures</th><th>opens</th><th>events skipped</th></tr>
{{range .}}<tr><td class="l">{{.Component}}</td><td class="l">{{.State}}</td><td>{{.Failures}}</td><td>{{.Opens}}</td><td>{{.Skipped}}</td></tr>
{{end}}</table>{{end}}
{{if .R.SkippedRows}}<h3 id="skipped-rows">Skipped data rows</h3><p>{{.R.SkippedRows}} bad rows were skipped{{with .R.SkippedRowErrors}}; the first:{{end}}</p>
{{with .R.SkippedRowErrors}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}{{end}}
</section>{{end}}

<h2>All metrics</h2>
<details><summary>returns, benchmark and trade statistics (results.json)</summary>
<table class="figs">
<tr><td>downside risk</td><td>{{pctplain .A.Returns.DownsideRisk}}</td></tr>
<tr><td>omega</td><td>{{num .A.Returns.Omega}}</td></tr>
<tr><td>tail ratio</td><td>{{num .A.Returns.TailRatio}}</td></tr>
<tr><td>stability</td><td>{{num .A.Returns.Stability}}</td></tr>
<tr><td>CVaR (5 %)</td><td>{{pct .A.Returns.CVaR}}</td></tr>
<tr><td>skew (scipy)</td><td>{{num .A.Returns.Skew}}</td></tr>
<tr><td>excess kurtosis (scipy)</td><td>{{num .A.Returns.Kurtosis}}</td></tr>
<tr><td>recovery factor</td><td>{{num .A.Returns.RecoveryFactor}}</td></tr>
<tr><td>ulcer index</td><td>{{num .A.Returns.UlcerIndex}}</td></tr>
<tr><td>exposure (share of periods invested)</td><td>{{pctplain .A.Returns.Exposure}}</td></tr>
<tr><td>best / worst month</td><td>{{pct .A.Returns.BestMonth}} / {{pct .A.Returns.WorstMonth}}</td></tr>
<tr><td>trade gross profit / loss</td><td>{{money .T.GrossProfit}} / {{money .T.GrossLoss}}</td></tr>
<tr><td>largest win / loss</td><td>{{money .T.LargestWin}} / {{money .T.LargestLoss}}</td></tr>
<tr><td>longest win / loss streak</td><td>{{.T.LongestWinStreak}} / {{.T.LongestLossStreak}}</td></tr>
<tr><td>median / min / max holding time</td><td>{{dur .T.MedianDuration}} / {{dur .T.MinDuration}} / {{dur .T.MaxDuration}}</td></tr>
</table>
</details>

<h2>Configuration</h2>
<pre>{{.Config}}</pre>
<h2>Manifest</h2>
<pre>{{.Manifest}}</pre>
<p class="sub">The SHA-256 of every output file is in manifest.json. Re-check with <code>quantloop verify DIR</code>.</p>
<script>
document.querySelectorAll("table.sortable th").forEach(function(th, col) {
  th.addEventListener("click", function() {
    var body = th.closest("table").tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var dir = th.dataset.dir === "up" ? -1 : 1;
    th.dataset.dir = dir > 0 ? "up" : "down";
    rows.sort(function(a, b) {
      var p = a.cells[col].dataset.v, q = b.cells[col].dataset.v, x = Number(p), y = Number(q);
      if (p !== "" && q !== "" && !isNaN(x) && !isNaN(y)) return (x - y) * dir;
      return p < q ? -dir : p > q ? dir : 0;
    });
    rows.forEach(function(r) { body.appendChild(r); });
  });
});
</script>
</body>
</html>
`
