"""The HTML report's inline style sheet and script: no network, allowed by the page's CSP by hash.

`CSS` is scoped under ``.qs`` so that a notebook fragment does not restyle the notebook;
`SCRIPT` only expands, collapses and filters the clause trees of a whole page.
"""

from __future__ import annotations

__all__ = ["CSS", "SCRIPT"]

CSS = """\
.qs{--qs-pass:#1a7f37;--qs-fail:#cf222e;--qs-unknown:#9a6700;--qs-na:#6e7781;
--qs-line:#d0d7de;--qs-soft:#f6f8fa;
font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB",
"Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;
line-height:1.5;font-size:14px;color:#1f2328;background:#fff;text-align:left}
.qs *{box-sizing:border-box}
.qs [hidden]{display:none!important}
.qs h1{font-size:1.5em;margin:0 0 .3em}
.qs h2{font-size:1.25em;margin:1.4em 0 .5em;padding-bottom:.2em;
border-bottom:1px solid var(--qs-line)}
.qs h3{font-size:1.05em;margin:1em 0 .4em}
.qs .qs-meta{color:#59636e;margin:0 0 1em}
.qs .qs-meta span+span::before{content:" · "}
.qs table{border-collapse:collapse;margin:.3em 0 .6em;font-size:.95em}
.qs th,.qs td{border:1px solid var(--qs-line);padding:.2em .5em;vertical-align:top;text-align:left}
.qs th{background:var(--qs-soft);font-weight:600}
.qs td.qs-num{text-align:right;font-variant-numeric:tabular-nums}
.qs td.qs-st{white-space:nowrap}
.qs .qs-overview th:nth-child(-n+3),.qs .qs-overview td:nth-child(-n+3){white-space:nowrap}
.qs .qs-overview td:nth-child(n+4){text-align:center}
.qs code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;
background:var(--qs-soft);padding:0 .25em;border-radius:3px;word-break:break-word}
.qs a{color:inherit}
.qs .qs-mark{display:inline-block;width:1.2em;text-align:center;font-weight:700}
.qs .qs-badge{display:inline-block;padding:0 .45em;border-radius:1em;font-size:.85em;
color:#fff;white-space:nowrap;font-weight:600;vertical-align:baseline}
.qs .qs-mark[data-status=pass]{color:var(--qs-pass)}
.qs .qs-mark[data-status=fail]{color:var(--qs-fail)}
.qs .qs-mark[data-status=unknown]{color:var(--qs-unknown)}
.qs .qs-mark[data-status=not_applicable]{color:var(--qs-na)}
.qs .qs-badge[data-status=pass]{background:var(--qs-pass)}
.qs .qs-badge[data-status=fail]{background:var(--qs-fail)}
.qs .qs-badge[data-status=unknown]{background:var(--qs-unknown)}
.qs .qs-badge[data-status=not_applicable]{background:var(--qs-na)}
.qs details{margin:.15em 0}
.qs summary{cursor:pointer;padding:.1em .2em;border-radius:4px}
.qs summary:hover{background:var(--qs-soft)}
.qs summary .qs-id{color:#59636e;font-size:.85em;margin-right:.35em}
.qs summary .qs-brief{color:#59636e;margin-left:.4em}
.qs summary .qs-brief::before{content:"— "}
.qs .qs-entity{border:1px solid var(--qs-line);border-left:5px solid var(--qs-na);
border-radius:6px;padding:.3em .6em;margin:.5em 0}
.qs .qs-entity[data-status=pass]{border-left-color:var(--qs-pass)}
.qs .qs-entity[data-status=fail]{border-left-color:var(--qs-fail)}
.qs .qs-entity[data-status=unknown]{border-left-color:var(--qs-unknown)}
.qs .qs-entity>summary{font-size:1.05em;font-weight:600}
.qs .qs-node{border-left:3px solid var(--qs-line);padding-left:.4em;margin-left:.2em}
.qs .qs-node[data-status=pass]{border-left-color:var(--qs-pass)}
.qs .qs-node[data-status=fail]{border-left-color:var(--qs-fail)}
.qs .qs-node[data-status=unknown]{border-left-color:var(--qs-unknown)}
.qs .qs-node[data-status=not_applicable]{border-left-color:var(--qs-na)}
.qs .qs-body{margin:.2em 0 .5em 1.2em}
.qs .qs-body dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em .8em;margin:.2em 0}
.qs .qs-body dt{color:#59636e}
.qs .qs-body dd{margin:0}
.qs .qs-text{margin:0;padding:.2em .6em;border-left:3px solid var(--qs-line);
background:var(--qs-soft);font-family:"Songti SC","SimSun","Noto Serif CJK SC",serif}
.qs .qs-caption{font-weight:600;margin:.4em 0 .1em}
.qs .qs-margin[data-met=false]{color:var(--qs-fail);font-weight:600}
.qs .qs-margin[data-met=true]{color:var(--qs-pass)}
.qs .qs-missing{color:var(--qs-fail)}
.qs .qs-toolbar{display:none;flex-wrap:wrap;gap:.4em 1em;align-items:center;
padding:.4em .6em;margin:.6em 0;background:var(--qs-soft);border-radius:6px;
position:sticky;top:0;z-index:1}
.qs-js .qs .qs-toolbar{display:flex}
.qs .qs-toolbar label{white-space:nowrap;cursor:pointer}
.qs .qs-toolbar button{font:inherit;cursor:pointer}
.qs .qs-legend span{margin-right:.8em;white-space:nowrap}
.qs-doc{max-width:64rem;margin:1.5em auto;padding:0 1em}
@page{size:A4;margin:14mm 12mm}
@media print{
.qs{font-size:9.5pt;color:#000}
.qs-doc{max-width:none;margin:0;padding:0}
.qs .qs-toolbar{display:none!important}
.qs *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.qs h2,.qs h3{break-after:avoid}
.qs summary,.qs tr,.qs .qs-text{break-inside:avoid}
.qs summary:hover{background:none}
.qs a{text-decoration:none}
}
"""

SCRIPT = """\
(function () {
  var doc = document.documentElement;
  doc.classList.add("qs-js");
  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll(".qs-filter input"));
  }
  function apply() {
    var shown = {};
    boxes().forEach(function (b) { shown[b.value] = b.checked; });
    var items = document.querySelectorAll(".qs-cands .qs-entity, .qs-cands .qs-node, .qs-row");
    Array.prototype.forEach.call(items, function (el) {
      el.hidden = !shown[el.getAttribute("data-status")];
    });
    Array.prototype.forEach.call(document.querySelectorAll(".qs-kind"), function (sec) {
      var any = sec.querySelector(".qs-entity:not([hidden])") !== null;
      sec.querySelector(".qs-none").hidden = any;
    });
  }
  function openAll(open) {
    var all = document.querySelectorAll(".qs-cands details");
    Array.prototype.forEach.call(all, function (d) { d.open = open; });
  }
  boxes().forEach(function (b) { b.addEventListener("change", apply); });
  var ex = document.querySelector(".qs-expand");
  var co = document.querySelector(".qs-collapse");
  if (ex) { ex.addEventListener("click", function () { openAll(true); }); }
  if (co) { co.addEventListener("click", function () { openAll(false); }); }
  apply();
})();
"""
