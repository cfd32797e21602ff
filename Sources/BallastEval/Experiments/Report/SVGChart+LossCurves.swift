import Foundation

extension SVGChart {
    /// Training curves: one line per series over epochs, with a legend and a y axis spanning the
    /// data's own range (losses can be negative: a Wasserstein critic's; ``lines(id:title:description:x:series:log:xTitle:yTitle:)``
    /// starts at 0), and an optional marked epoch. Non-finite points are skipped; a series with one
    /// point is drawn as a dot.
    /// - Parameters:
    ///   - id: unique id prefix.
    ///   - title: chart title.
    ///   - description: screen-reader description.
    ///   - series: each line's legend name and values (`values[i]` is at x = `i + 1`).
    ///   - xTitle: the x axis title.
    ///   - yTitle: the y axis title.
    ///   - marker: an x position to mark with a dashed vertical line and its label (the epoch kept).
    static func lossCurves(id: String, title: String, description: String, series: [(name: String, values: [Double])],
                      xTitle: String, yTitle: String, marker: (x: Int, label: String)? = nil) -> SVGChart {
        let width = 440.0, height = 260.0
        var chart = SVGChart(id: id, title: title, description: description, width: width, height: height)
        let (legendMarkup, legendHeight) = chart.legend(series.enumerated().map { ($1.name, color($0)) }, x: 60, y: 40, maxWidth: width - 80)
        let left = 60.0, right = width - 16, top = 40 + legendHeight, bottom = height - 44
        let values = series.flatMap(\.values).filter(\.isFinite)
        let count = max(series.map(\.values.count).max() ?? 1, 1)
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        let pad = (hi - lo) * 0.05
        lo -= pad
        hi += pad
        func x(_ i: Int) -> Double { count == 1 ? (left + right) / 2 : left + Double(i) / Double(count - 1) * (right - left) }
        func y(_ v: Double) -> Double { bottom - (v - lo) / (hi - lo) * (bottom - top) }

        var body = legendMarkup + "<g class=\"axis\">\n"
        for k in 0...4 {
            let v = lo + (hi - lo) * Double(k) / 4
            body += chart.line(x1: left, y1: y(v), x2: right, y2: y(v), stroke: "#dddddd")
            body += chart.text(String(format: abs(hi - lo) < 0.1 ? "%.3f" : "%.3g", v), x: left - 6, y: y(v) + 4, anchor: "end", size: 10,
                               fill: "#444444")
        }
        for i in Set([0, (count - 1) / 2, count - 1]).sorted() {
            body += chart.text("\(i + 1)", x: x(i), y: bottom + 14, anchor: "middle", size: 10, fill: "#444444")
        }
        body += chart.line(x1: left, y1: top, x2: left, y2: bottom, stroke: "#666666")
        body += chart.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: "#666666")
        body += chart.text(xTitle, x: (left + right) / 2, y: bottom + 32, anchor: "middle")
        body += chart.text(yTitle, x: 14, y: (top + bottom) / 2, anchor: "middle", rotate: -90)
        body += "</g>\n"
        if let marker, marker.x >= 1, marker.x <= count {
            body += chart.line(x1: x(marker.x - 1), y1: top, x2: x(marker.x - 1), y2: bottom, stroke: "#888888", dash: "4 3")
            let nearRight = x(marker.x - 1) > right - 40
            body += chart.text(marker.label, x: x(marker.x - 1) + (nearRight ? -3 : 3), y: top + 10, anchor: nearRight ? "end" : "start",
                               size: 10, fill: "#555555")
        }
        for (s, item) in series.enumerated() {
            let points = item.values.enumerated().filter { $0.element.isFinite }.map { (x($0.offset), y($0.element)) }
            if points.count == 1, let only = points.first {
                body += "<circle cx=\"\(n(only.0))\" cy=\"\(n(only.1))\" r=\"3\" fill=\"\(color(s))\"/>\n"
            } else if !points.isEmpty {
                body += chart.polyline(points, color: color(s))
            }
        }
        chart.body = body
        return chart
    }
}
