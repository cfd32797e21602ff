import Foundation

extension SVGChart {
    /// One series of a bar chart: a value per group (`nil`: missing, e.g. a failed run or a class
    /// without test rows), with an optional ± error per group drawn as a whisker.
    struct Series: Sendable {
        /// The legend entry.
        var name: String
        /// The bar colour.
        var color: String
        /// One value per group.
        var values: [Double?]
        /// One half-width of the whisker per group (a standard deviation), or `nil`.
        var errors: [Double?] = []
    }

    /// Vertical bars grouped by category (one bar per series in each group), with a legend, a
    /// labelled value axis (linear or log) and group labels under the bars. A missing value shows
    /// `n/a` at the bar's foot; whiskers show ± error where given.
    /// - Parameters:
    ///   - id: unique id prefix.
    ///   - title: chart title.
    ///   - description: screen-reader description.
    ///   - groups: the category labels along the x axis.
    ///   - groupAxisTitle: the x-axis title.
    ///   - series: the bars of each group.
    ///   - axis: the value axis.
    ///   - valueFormat: how a value is written in tooltips and above wide bars.
    static func groupedBars(id: String, title: String, description: String, groups: [String], groupAxisTitle: String,
                            series: [Series], axis: ValueAxis, valueFormat: (Double) -> String) -> SVGChart {
        let width = max(560, min(1100, 100 + Double(groups.count * max(series.count, 1)) * 26 + Double(groups.count) * 20))
        var chart = SVGChart(id: id, title: title, description: description, width: width, height: 0)
        let left = 72.0, right = 16.0
        let (legendMarkup, legendHeight) = chart.legend(series.map { ($0.name, $0.color) }, x: left, y: 44,
                                                        maxWidth: width - left - right)
        let top = 44 + legendHeight + 10
        let plotHeight = 240.0
        let bottom = top + plotHeight
        let longestGroup = groups.map { textWidth($0, size: 11) }.max() ?? 0
        let plotWidth = width - left - right
        let groupWidth = plotWidth / Double(max(groups.count, 1))
        let rotateLabels = longestGroup > groupWidth - 6
        let labelHeight = rotateLabels ? min(120, longestGroup * 0.72 + 16) : 22
        chart.height = bottom + labelHeight + 30
        var body = legendMarkup
        body += chart.valueAxis(axis, x: left, top: top, bottom: bottom, right: width - right)
        let barWidth = groupWidth * 0.8 / Double(max(series.count, 1))
        let showValues = barWidth >= 26
        for (g, group) in groups.enumerated() {
            let groupLeft = left + Double(g) * groupWidth + groupWidth * 0.1
            for (s, one) in series.enumerated() {
                let x = groupLeft + Double(s) * barWidth
                guard g < one.values.count, let value = one.values[g], value.isFinite else {
                    body += chart.text("n/a", x: x + barWidth / 2, y: bottom - 3, anchor: "middle", size: min(10, barWidth * 0.5),
                                       fill: "#888888")
                    continue
                }
                let h = axis.fraction(value) * plotHeight
                let error = g < one.errors.count ? one.errors[g] : nil
                var tip = "\(one.name) · \(group): \(valueFormat(value))"
                if let error, error.isFinite { tip += " ± \(valueFormat(error))" }
                body += chart.rect(x: x + 0.5, y: bottom - h, width: barWidth - 1, height: h, fill: one.color, tooltip: tip)
                if let error, error.isFinite, error > 0 {
                    let yHigh = bottom - axis.fraction(value + error) * plotHeight
                    let yLow = bottom - axis.fraction(value - error) * plotHeight
                    let cx = x + barWidth / 2, cap = min(4, barWidth / 3)
                    body += chart.line(x1: cx, y1: yHigh, x2: cx, y2: yLow, stroke: "#222222")
                    body += chart.line(x1: cx - cap, y1: yHigh, x2: cx + cap, y2: yHigh, stroke: "#222222")
                    body += chart.line(x1: cx - cap, y1: yLow, x2: cx + cap, y2: yLow, stroke: "#222222")
                }
                if showValues {
                    body += chart.text(valueFormat(value), x: x + barWidth / 2, y: bottom - h - 4, anchor: "middle", size: 9,
                                       fill: "#333333")
                }
            }
            let cx = left + (Double(g) + 0.5) * groupWidth
            if rotateLabels {
                body += chart.text(group, x: cx, y: bottom + 14, anchor: "end", size: 11, rotate: -35)
            } else {
                body += chart.text(group, x: cx, y: bottom + 16, anchor: "middle", size: 11)
            }
        }
        body += chart.line(x1: left, y1: bottom, x2: width - right, y2: bottom, stroke: "#666666")
        body += chart.text(groupAxisTitle, x: left + plotWidth / 2, y: chart.height - 8, anchor: "middle", size: 12)
        chart.body = body
        return chart
    }
}
