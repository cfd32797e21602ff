import BallastCore
import Foundation

extension SVGChart {
    /// One series of a line, step or scatter chart.
    struct LineSeries: Sendable {
        /// The legend entry.
        var name: String
        /// The colour.
        var color: String
        /// The y values, one per x (lines), or `x, y` interleaved (scatter).
        var values: [Double]
    }

    /// A continuous x axis: linear, or `log1p` for heavy-tailed values (ticks at 0, 1, 10, 100, …).
    struct ContinuousAxis: Sendable {
        /// The smallest value shown.
        var lower: Double
        /// The largest value shown.
        var upper: Double
        /// Whether positions are `log1p(value)`.
        var log: Bool

        /// An axis over `lower...upper` (widened when empty).
        init(_ lower: Double, _ upper: Double, log: Bool) {
            self.log = log
            self.lower = lower.isFinite ? lower : 0
            self.upper = upper.isFinite && upper > self.lower ? upper : self.lower + 1
        }

        private func position(_ v: Double) -> Double { log ? log1p(max(v, 0)) : v }

        /// Where `value` lies, 0 at ``lower`` and 1 at ``upper``.
        func fraction(_ value: Double) -> Double {
            let lo = position(lower), hi = position(upper)
            return hi > lo ? (position(value) - lo) / (hi - lo) : 0
        }

        /// Tick values with labels inside the axis.
        var ticks: [(value: Double, label: String)] {
            if log {
                var out: [(Double, String)] = [(0, "0")]
                var v = 1.0
                while v <= upper * 1.0001 {
                    if v >= lower { out.append((v, ValueAxis.compact(v))) }
                    v *= 10
                }
                return out.filter { $0.0 >= lower }
            }
            let step = ValueAxis.niceStep(upper - lower)
            var v = (lower / step).rounded(.up) * step
            var out: [(Double, String)] = []
            while v <= upper + step * 1e-9 {
                out.append((v, Self.label(v, step: step)))
                v += step
            }
            return out
        }

        static func label(_ value: Double, step: Double) -> String {
            let v = abs(value) < step * 1e-9 ? 0 : value
            if abs(v) >= 1000 { return ValueAxis.compact(v) }
            if step >= 1 { return String(format: "%.0f", v) }
            return String(format: step >= 0.1 ? "%.1f" : "%.2f", v)
        }
    }

    /// A frame with a continuous x axis and a y axis from 0 to `yMax`; returns the markup and a
    /// function mapping data to view coordinates.
    func frame(x axis: ContinuousAxis, yMax: Double, yTitle: String, xTitle: String, left: Double, top: Double,
               right: Double, bottom: Double) -> (String, (Double, Double) -> (Double, Double)) {
        var out = "<g class=\"axis\">\n"
        let yAxis = ValueAxis.linear(max: yMax, title: yTitle)
        out += valueAxis(yAxis, x: left, top: top, bottom: bottom, right: right)
        for tick in axis.ticks {
            let x = left + axis.fraction(tick.value) * (right - left)
            out += line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: "#666666")
            out += text(tick.label, x: x, y: bottom + 16, anchor: "middle", size: 10, fill: "#444444")
        }
        out += line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: "#666666")
        out += text(xTitle, x: (left + right) / 2, y: bottom + 32, anchor: "middle", size: 11)
        let yTop = yAxis.top
        return (out + "</g>\n", { x, y in
            (left + min(1, max(0, axis.fraction(x))) * (right - left), bottom - min(1, max(0, y / yTop)) * (bottom - top))
        })
    }

    /// A polyline through `points` (view coordinates).
    func polyline(_ points: [(Double, Double)], color: String, width: Double = 1.6, dash: String? = nil) -> String {
        let coordinates = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        let dashAttribute = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        return "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(Self.n(width))\"\(dashAttribute) points=\"\(coordinates)\"/>\n"
    }

    /// Overlaid step histograms: each series gives the share of its values in each bin of `edges`.
    /// - Parameters:
    ///   - id: unique id prefix.
    ///   - title: chart title.
    ///   - description: screen-reader description.
    ///   - edges: bin edges, ascending (raw units).
    ///   - series: one share per bin each.
    ///   - log: draw the x axis as `log1p`.
    ///   - xTitle: the x-axis title.
    static func histogram(id: String, title: String, description: String, edges: [Double], series: [LineSeries],
                          log: Bool, xTitle: String) -> SVGChart {
        var chart = SVGChart(id: id, title: title, description: description, width: 320, height: 230)
        let (legend, legendHeight) = chart.legend(series.map { ($0.name, $0.color) }, x: 60, y: 40, maxWidth: 240)
        let top = 40 + legendHeight + 6, bottom = chart.height - 44
        let yMax = max(series.flatMap(\.values).max() ?? 0, 1e-9)
        let axis = ContinuousAxis(edges.first ?? 0, edges.last ?? 1, log: log)
        let (frame, map) = chart.frame(x: axis, yMax: yMax, yTitle: "share of rows", xTitle: xTitle, left: 60, top: top,
                                       right: 304, bottom: bottom)
        var body = legend + frame
        for (s, one) in series.enumerated() {
            var points: [(Double, Double)] = []
            for (b, share) in one.values.enumerated() where b + 1 < edges.count {
                points.append(map(edges[b], share))
                points.append(map(edges[b + 1], share))
            }
            guard !points.isEmpty else { continue }
            points.insert(map(edges[0], 0), at: 0)
            points.append(map(edges[edges.count - 1], 0))
            body += chart.polyline(points, color: one.color, dash: s == 0 ? nil : "5 3")
        }
        chart.body = body
        return chart
    }

    /// Overlaid lines (e.g. empirical CDFs) over shared x values.
    /// - Parameters:
    ///   - id: unique id prefix.
    ///   - title: chart title.
    ///   - description: screen-reader description.
    ///   - x: the x values, ascending (raw units).
    ///   - series: one y per x each.
    ///   - log: draw the x axis as `log1p`.
    ///   - xTitle: the x-axis title.
    ///   - yTitle: the y-axis title.
    static func lines(id: String, title: String, description: String, x: [Double], series: [LineSeries], log: Bool,
                      xTitle: String, yTitle: String) -> SVGChart {
        var chart = SVGChart(id: id, title: title, description: description, width: 320, height: 230)
        let (legend, legendHeight) = chart.legend(series.map { ($0.name, $0.color) }, x: 60, y: 40, maxWidth: 240)
        let top = 40 + legendHeight + 6, bottom = chart.height - 44
        let axis = ContinuousAxis(x.first ?? 0, x.last ?? 1, log: log)
        let yMax = max(series.flatMap(\.values).max() ?? 1, 1e-9)
        let (frame, map) = chart.frame(x: axis, yMax: yMax, yTitle: yTitle, xTitle: xTitle, left: 60, top: top, right: 304, bottom: bottom)
        var body = legend + frame
        for (s, one) in series.enumerated() {
            let points = zip(x, one.values).map { map($0, $1) }
            body += chart.polyline(points, color: one.color, dash: s == 0 ? nil : "5 3")
        }
        chart.body = body
        return chart
    }

    /// A scatter plot of series of `x, y` points. The axes span the 0.5th to 99.5th percentiles of
    /// the points, so that a few outliers do not squeeze the rest into a corner; points outside are
    /// drawn on the frame's edge.
    static func scatter(id: String, title: String, description: String, series: [LineSeries], xTitle: String,
                        yTitle: String) -> SVGChart {
        var chart = SVGChart(id: id, title: title, description: description, width: 460, height: 400)
        let (legend, legendHeight) = chart.legend(series.map { ($0.name, $0.color) }, x: 60, y: 40, maxWidth: 380)
        let top = 40 + legendHeight + 6, bottom = chart.height - 44, left = 60.0, right = 444.0
        let xs = series.flatMap { s in stride(from: 0, to: s.values.count - 1, by: 2).map { s.values[$0] } }
        let ys = series.flatMap { s in stride(from: 1, to: s.values.count, by: 2).map { s.values[$0] } }
        func span(_ values: [Double]) -> ContinuousAxis {
            let sorted = values.filter(\.isFinite).sorted()
            return ContinuousAxis(Distribution.quantile(sorted: sorted, 0.005) ?? 0, Distribution.quantile(sorted: sorted, 0.995) ?? 1,
                                  log: false)
        }
        let xAxis = span(xs), yAxis = span(ys)
        var body = legend + "<g class=\"axis\">\n"
        for tick in xAxis.ticks {
            let x = left + xAxis.fraction(tick.value) * (right - left)
            body += chart.line(x1: x, y1: top, x2: x, y2: bottom, stroke: "#eeeeee")
            body += chart.text(tick.label, x: x, y: bottom + 16, anchor: "middle", size: 10, fill: "#444444")
        }
        for tick in yAxis.ticks {
            let y = bottom - yAxis.fraction(tick.value) * (bottom - top)
            body += chart.line(x1: left, y1: y, x2: right, y2: y, stroke: "#eeeeee")
            body += chart.text(tick.label, x: left - 6, y: y + 4, anchor: "end", size: 10, fill: "#444444")
        }
        body += chart.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: "#666666")
        body += chart.line(x1: left, y1: top, x2: left, y2: bottom, stroke: "#666666")
        body += chart.text(xTitle, x: (left + right) / 2, y: bottom + 32, anchor: "middle", size: 11)
        body += chart.text(yTitle, x: 16, y: (top + bottom) / 2, anchor: "middle", size: 11, rotate: -90) + "</g>\n"
        for one in series {
            body += "<g fill=\"\(one.color)\" fill-opacity=\"0.45\">\n"
            for p in stride(from: 0, to: one.values.count - 1, by: 2) {
                let x = left + min(1, max(0, xAxis.fraction(one.values[p]))) * (right - left)
                let y = bottom - min(1, max(0, yAxis.fraction(one.values[p + 1]))) * (bottom - top)
                body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"2\"/>"
            }
            body += "\n</g>\n"
        }
        chart.body = body
        return chart
    }
}
