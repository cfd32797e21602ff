import Foundation

extension SVGChart {
    /// A confusion-matrix heatmap: true classes down, predicted classes across; each cell's colour
    /// is its share of the true class's rows (row-normalised, white → dark blue) and its text is the
    /// count. Rows without any test row are grey.
    /// - Parameters:
    ///   - id: unique id prefix.
    ///   - title: chart title (balancing × detector).
    ///   - confusion: the matrix.
    static func heatmap(id: String, title: String, confusion full: ConfusionMatrix) -> SVGChart {
        let confusion = summarized(full)
        let names = confusion.classNames
        let k = names.count
        let cell = k <= 6 ? 46.0 : max(24, 276 / Double(max(k, 1)))
        let labelWidth = min(110, (names.map { textWidth($0, size: 11) }.max() ?? 20) + 10)
        let left = 22 + labelWidth, top = 44 + labelWidth * 0.75
        let width = max(left + Double(k) * cell + 12, textWidth(title, size: 15) + 20)
        let height = top + Double(k) * cell + 12
        var chart = SVGChart(id: id, title: title,
                             description: "Confusion matrix of \(title): rows are true classes, columns predicted classes; "
                                 + "colour is the share of the true class's rows, text the count.",
                             width: width, height: height)
        var body = chart.text("true class →", x: 12, y: top + Double(k) * cell / 2, anchor: "middle", size: 11,
                              fill: "#444444", rotate: -90)
        body += chart.text("predicted class →", x: left + Double(k) * cell / 2, y: 38, anchor: "middle", size: 11, fill: "#444444")
        for (p, name) in names.enumerated() {
            let x = left + (Double(p) + 0.5) * cell
            body += chart.text(name, x: x, y: top - 6, anchor: "start", size: 11, rotate: -45)
        }
        for t in 0..<k {
            let y = top + Double(t) * cell
            body += chart.text(names[t], x: left - 6, y: y + cell / 2 + 4, anchor: "end", size: 11)
            let rowTotal = confusion.trueCount(t)
            for p in 0..<k {
                let count = t < confusion.counts.count && p < confusion.counts[t].count ? confusion.counts[t][p] : 0
                let share = rowTotal > 0 ? Double(count) / Double(rowTotal) : 0
                let fill = rowTotal > 0 ? blue(share) : "#eeeeee"
                let x = left + Double(p) * cell
                let tip = "true \(names[t]), predicted \(names[p]): \(count) rows"
                    + (rowTotal > 0 ? String(format: " (%.1f%%", share * 100) + " of \(names[t]))" : "")
                body += chart.rect(x: x, y: y, width: cell, height: cell, fill: fill, stroke: "#ffffff", tooltip: tip)
                body += chart.text(String(count), x: x + cell / 2, y: y + cell / 2 + 4, anchor: "middle",
                                   size: count >= 100_000 ? 9 : (count >= 10_000 ? 10 : 11),
                                   fill: share > 0.55 ? "#ffffff" : "#222222")
            }
        }
        chart.body = body
        return chart
    }

    /// The most classes a heatmap draws: past it, the largest ``heatmapClassLimit`` − 1 classes
    /// (by true rows) are drawn and the rest are gathered into one "other" row and column, so
    /// that a report of hundreds of classes stays a few megabytes (every count is in results.json).
    static let heatmapClassLimit = 25

    /// `confusion`, summarised to ``heatmapClassLimit`` classes when it has more.
    static func summarized(_ confusion: ConfusionMatrix) -> ConfusionMatrix {
        let k = confusion.classCount
        guard k > heatmapClassLimit else { return confusion }
        let largest = (0..<k).sorted { confusion.trueCount($0) != confusion.trueCount($1) ? confusion.trueCount($0) > confusion.trueCount($1) : $0 < $1 }
            .prefix(heatmapClassLimit - 1).sorted()
        return confusion.folded(keeping: Array(largest), other: "other (\(k - largest.count) classes)")
    }

    /// White (0) to dark blue (1), as `#rrggbb`.
    static func blue(_ share: Double) -> String {
        let s = min(1, max(0, share.isFinite ? share : 0))
        let from = (247.0, 251.0, 255.0), to = (8.0, 48.0, 107.0)
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * s).rounded()) }
        return String(format: "#%02x%02x%02x", mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
    }
}
