extension ExperimentReport {
    /// The page's style sheet: light, readable on screen and on paper, no external fonts.
    static let css = """
    :root { color-scheme: light; }
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif;
           color: #1d1d1f; background: #ffffff; margin: 0 auto; max-width: 1400px; padding: 24px 32px 48px;
           line-height: 1.45; font-size: 15px; }
    h1 { font-size: 1.8em; margin: 0 0 0.3em; }
    h2 { font-size: 1.4em; margin: 1.6em 0 0.4em; border-bottom: 2px solid #d0d7de; padding-bottom: 0.2em; }
    h3 { font-size: 1.12em; margin: 1.4em 0 0.5em; color: #24292f; }
    ul.meta { margin: 0.3em 0; padding-left: 1.2em; color: #444; }
    p.legend, p.note { color: #555; font-size: 0.9em; margin: 0.3em 0; }
    p.simulated { display: inline-block; background: #fff4ce; border: 1px solid #e0c060; padding: 4px 10px;
                  border-radius: 4px; margin: 0.3em 0; }
    p.unfinished { background: #ffebe9; border: 1px solid #d1242f; padding: 6px 10px; border-radius: 4px; margin: 0.5em 0; }
    p.warn { color: #8a4b00; }
    nav.toc { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 20px; margin: 16px 0; }
    nav.toc h2 { font-size: 1.1em; border: none; margin: 0.4em 0; }
    nav.toc ol { margin: 0.2em 0; padding-left: 1.4em; }
    nav.toc a { color: #0550ae; text-decoration: none; }
    .grid { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; }
    .grid figure { margin: 8px 0; }
    table { border-collapse: collapse; margin: 8px 0 4px; font-size: 13px; font-variant-numeric: tabular-nums; }
    caption { text-align: left; font-weight: 600; padding: 2px 0 4px; }
    th, td { padding: 3px 7px; border-bottom: 1px solid #e5e7eb; white-space: nowrap; }
    th { background: #f3f4f6; border-bottom: 1px solid #c7ccd1; font-weight: 600; }
    tr.group td { border-top: 2px solid #aab1b9; }
    td.l, th.l { text-align: left; }
    td.r, th.r { text-align: right; }
    strong.best { font-weight: 700; background: #dcf5e3; padding: 0 3px; border-radius: 3px; }
    td.failed { color: #b00020; }
    figure { margin: 12px 0; }
    svg.chart { max-width: 100%; height: auto; display: block; }
    .heatmaps { display: flex; flex-wrap: wrap; gap: 4px 16px; }
    .heatmaps figure { margin: 4px 0; }
    ol.failures pre { white-space: pre-wrap; background: #fdf2f2; border: 1px solid #f0c0c0; padding: 6px 10px;
                      border-radius: 4px; font-size: 12px; }
    dl.run { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
    dl.run dt { font-weight: 600; }
    dl.run dd { margin: 0; }
    footer { margin-top: 32px; color: #666; font-size: 0.85em; }
    @media print {
      body { max-width: none; padding: 0; font-size: 11pt; }
      nav.toc { break-after: page; }
      table, figure { break-inside: avoid; }
      h2, h3 { break-after: avoid; }
      a { color: inherit; }
    }

    """
}
