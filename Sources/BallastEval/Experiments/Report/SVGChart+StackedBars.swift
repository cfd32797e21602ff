import Foundation

extension SVGChart {
    /// Horizontal bars, one per row label, each stacked from segments (e.g. balance + fit +
    /// predict seconds), with a legend, a linear axis at the bottom and the total at the bar's end.
    /// - Parameters:
    ///   - id: unique id prefix.
    ///   - title: chart title.
    ///   - description: screen-reader description.
    ///   - rows: the label of each bar.
    ///   - segments: the legend name and colour of each segment.
    ///   - values: per row, one value per segment (`nil` row: failed, drawn as a note).
    ///   - axisTitle: the value axis title with its unit.
    ///   - valueFormat: how totals and tooltips write a value.
    static func stackedBars(id: String, title: String, description: String, rows: [String],
                            segments: [(name: String, color: String)], values: [[Double]?], axisTitle: String,
                            valueFormat: (Double) -> String) -> SVGChart {
        let width = 900.0
        var chart = SVGChart(id: id, title: title, description: description, width: width, height: 0)
        let labelWidth = min(300, (rows.map { textWidth($0, size: 11) }.max() ?? 40) + 16)
        let left = labelWidth + 10, right = 70.0
        let (legendMarkup, legendHeight) = chart.legend(segments.map { ($0.name, $0.color) }, x: left, y: 44,
                                                        maxWidth: width - left - right)
        let top = 44 + legendHeight + 6
        let rowHeight = 20.0
        let bottom = top + Double(rows.count) * rowHeight
        chart.height = bottom + 48
        let totals = values.map { $0.map { $0.filter(\.isFinite).reduce(0, +) } }
        let axis = ValueAxis.linear(max: max(totals.compactMap { $0 }.max() ?? 1, 1e-3), title: axisTitle)
        let plotWidth = width - left - right
        var body = legendMarkup + "<g class=\"axis\">\n"
        for tick in axis.ticks {
            let x = left + axis.fraction(tick.value) * plotWidth
            body += chart.line(x1: x, y1: top, x2: x, y2: bottom, stroke: "#dddddd")
            body += chart.text(tick.label, x: x, y: bottom + 14, anchor: "middle", size: 11, fill: "#444444")
        }
        body += "</g>\n"
        for (r, label) in rows.enumerated() {
            let y = top + Double(r) * rowHeight
            body += chart.text(label, x: left - 8, y: y + rowHeight * 0.68, anchor: "end", size: 11)
            guard r < values.count, let parts = values[r] else {
                body += chart.text("failed", x: left + 4, y: y + rowHeight * 0.68, size: 11, fill: "#B00020")
                continue
            }
            var x = left
            for (s, segment) in segments.enumerated() where s < parts.count && parts[s].isFinite {
                let w = axis.fraction(parts[s]) * plotWidth
                body += chart.rect(x: x, y: y + 3, width: w, height: rowHeight - 6, fill: segment.color,
                                   tooltip: "\(label) · \(segment.name): \(valueFormat(parts[s]))")
                x += w
            }
            body += chart.text(valueFormat(totals[r] ?? 0), x: x + 4, y: y + rowHeight * 0.68, size: 10, fill: "#333333")
        }
        body += chart.line(x1: left, y1: top, x2: left, y2: bottom, stroke: "#666666")
        body += chart.text(axisTitle, x: left + plotWidth / 2, y: bottom + 34, anchor: "middle", size: 12)
        chart.body = body
        return chart
    }
}
