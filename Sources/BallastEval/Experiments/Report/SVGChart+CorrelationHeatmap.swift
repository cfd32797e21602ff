import Foundation

extension SVGChart {
    /// A square heatmap of a symmetric matrix over named columns (a correlation matrix, or a
    /// difference of two), on a diverging scale: blue for negative, white for 0, red for positive,
    /// saturated at ±`limit`; undefined cells grey. Every cell has a tooltip with both names and the
    /// value, and a colour-scale legend is drawn beside it.
    /// - Parameters:
    ///   - id: unique id prefix.
    ///   - title: chart title.
    ///   - description: screen-reader description.
    ///   - names: the row and column names.
    ///   - values: `names.count²` cells (`nil`: undefined).
    ///   - limit: the absolute value shown fully saturated (1 for correlations).
    static func correlationHeatmap(id: String, title: String, description: String, names: [String], values: [[Double?]],
                                   limit: Double = 1) -> SVGChart {
        let k = names.count
        let cell = k <= 12 ? 22.0 : max(7, 300 / Double(max(k, 1)))
        let labelSize = min(11, max(7, cell))
        let labelWidth = min(170, (names.map { textWidth($0, size: labelSize) }.max() ?? 20) + 8)
        let left = 8 + labelWidth, top = 40 + labelWidth * 0.72
        let width = max(left + Double(k) * cell + 90, textWidth(title, size: 15) + 20)
        let height = max(top + Double(k) * cell + 16, 200)
        var chart = SVGChart(id: id, title: title, description: description, width: width, height: height)
        var body = ""
        for (j, name) in names.enumerated() {
            let x = left + (Double(j) + 0.5) * cell
            body += chart.text(name, x: x, y: top - 4, anchor: "start", size: labelSize, fill: "#333333", rotate: -45)
            body += chart.text(name, x: left - 4, y: top + (Double(j) + 0.5) * cell + labelSize * 0.35, anchor: "end",
                               size: labelSize, fill: "#333333")
        }
        for a in 0..<k {
            for b in 0..<k {
                let value = a < values.count && b < values[a].count ? values[a][b] : nil
                let tip = "\(names[a]) × \(names[b]): " + (value.map { String(format: "%.3f", $0) } ?? "undefined (a constant column)")
                body += chart.rect(x: left + Double(b) * cell, y: top + Double(a) * cell, width: cell, height: cell,
                                   fill: value.map { diverging($0 / limit) } ?? "#d9d9d9", tooltip: tip)
            }
        }
        let scaleX = left + Double(k) * cell + 24, scaleTop = top, scaleHeight = min(160, max(80, Double(k) * cell))
        for i in 0..<20 {
            let v = 1 - Double(i) / 19 * 2
            body += chart.rect(x: scaleX, y: scaleTop + Double(i) * scaleHeight / 20, width: 14, height: scaleHeight / 20 + 0.5,
                               fill: diverging(v))
        }
        body += chart.text(String(format: "%+.1f", limit), x: scaleX + 18, y: scaleTop + 8, size: 10, fill: "#444444")
        body += chart.text("0", x: scaleX + 18, y: scaleTop + scaleHeight / 2 + 4, size: 10, fill: "#444444")
        body += chart.text(String(format: "%+.1f", -limit), x: scaleX + 18, y: scaleTop + scaleHeight, size: 10, fill: "#444444")
        chart.body = body
        return chart
    }

    /// Blue (−1) through white (0) to red (+1), as `#rrggbb` (values outside are clamped).
    static func diverging(_ value: Double) -> String {
        let v = min(1, max(-1, value.isFinite ? value : 0))
        let white = (247.0, 247.0, 247.0)
        let end = v < 0 ? (33.0, 102.0, 172.0) : (178.0, 24.0, 43.0)
        let s = abs(v)
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * s).rounded()) }
        return String(format: "#%02x%02x%02x", mix(white.0, end.0), mix(white.1, end.1), mix(white.2, end.2))
    }
}
