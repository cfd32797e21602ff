import Foundation

/// An inline SVG chart for the HTML report: self-contained markup (no scripts, fonts or external
/// resources), with a `<title>` and `<desc>` referenced by `aria-labelledby`, axis titles with units,
/// and every text escaped, so that each chart is well-formed XML on its own.
///
/// The kinds of chart live in extensions: grouped bars (`SVGChart+GroupedBars.swift`), stacked
/// horizontal bars (`SVGChart+StackedBars.swift`) and heatmaps (`SVGChart+Heatmap.swift`).
struct SVGChart: Sendable {
    /// A unique id prefix for the chart's `<title>`/`<desc>` (letters, digits and `-`).
    var id: String
    /// The chart's title, shown at the top and read by screen readers.
    var title: String
    /// A one-sentence description for screen readers.
    var description: String
    /// The view-box width in user units (the chart scales to the page width).
    var width: Double
    /// The view-box height in user units.
    var height: Double
    /// The drawing, as SVG elements.
    var body = ""

    /// Colours for series, distinguishable with common colour-vision deficiencies (Okabe–Ito first).
    static let palette = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C564B", "#332288",
        "#999933", "#17BECF", "#882255", "#44AA99",
    ]

    /// The colour of series `index` (the palette repeats after 12).
    static func color(_ index: Int) -> String { palette[((index % palette.count) + palette.count) % palette.count] }

    /// The whole `<svg>` element.
    var svg: String {
        let titleID = "\(id)-title", descID = "\(id)-desc"
        return "<svg class=\"chart\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" width=\"\(Self.n(width))\" "
            + "role=\"img\" aria-labelledby=\"\(titleID) \(descID)\" font-family=\"sans-serif\" font-size=\"12\">\n"
            + "<title id=\"\(titleID)\">\(title.htmlEscaped)</title>\n<desc id=\"\(descID)\">\(description.htmlEscaped)</desc>\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" fill=\"#ffffff\"/>\n"
            + text(title, x: width / 2, y: 20, anchor: "middle", size: 15, weight: "bold")
            + body + "</svg>\n"
    }

    /// A coordinate or length with at most one decimal (`12`, `12.5`), never NaN.
    static func n(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "0" }
        let tenths = Int((value * 10).rounded())
        let whole = String(abs(tenths) / 10), fraction = abs(tenths) % 10
        return (tenths < 0 ? "-" : "") + (fraction == 0 ? whole : whole + "." + String(fraction))
    }

    /// An escaped `<text>` element.
    func text(_ content: String, x: Double, y: Double, anchor: String = "start", size: Double = 12,
              weight: String = "normal", fill: String = "#222222", rotate: Double? = nil) -> String {
        let transform = rotate.map { " transform=\"rotate(\(Self.n($0)) \(Self.n(x)) \(Self.n(y)))\"" } ?? ""
        return "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(Self.n(size))\" "
            + "font-weight=\"\(weight)\" fill=\"\(fill)\"\(transform)>\(content.htmlEscaped)</text>\n"
    }

    /// A rectangle with an optional tooltip (`<title>` child).
    func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
              tooltip: String? = nil) -> String {
        let strokeAttribute = stroke.map { " stroke=\"\($0)\" stroke-width=\"0.5\"" } ?? ""
        let open = "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(0, width)))\" "
            + "height=\"\(Self.n(max(0, height)))\" fill=\"\(fill)\"\(strokeAttribute)"
        guard let tooltip else { return open + "/>\n" }
        return open + "><title>\(tooltip.htmlEscaped)</title></rect>\n"
    }

    /// A line.
    func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#444444", width: Double = 1,
              dash: String? = nil) -> String {
        let dashAttribute = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        return "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"\(dashAttribute)/>\n"
    }

    /// The approximate width of `text` at `size` (sans-serif averages ~0.6 em per character).
    static func textWidth(_ text: String, size: Double = 12) -> Double { Double(text.count) * size * 0.6 }

    /// A legend of coloured squares and names flowing in rows from (`x`, `y`) within `maxWidth`;
    /// returns the markup and the height used.
    func legend(_ items: [(name: String, color: String)], x: Double, y: Double, maxWidth: Double) -> (String, Double) {
        var out = "<g class=\"legend\">\n"
        var cx = x, cy = y
        for item in items {
            let w = 18 + Self.textWidth(item.name, size: 11) + 14
            if cx > x, cx + w > x + maxWidth {
                cx = x
                cy += 18
            }
            out += rect(x: cx, y: cy - 9, width: 11, height: 11, fill: item.color)
            out += text(item.name, x: cx + 15, y: cy + 1, size: 11)
            cx += w
        }
        return (out + "</g>\n", items.isEmpty ? 0 : cy - y + 18)
    }

    /// A value axis: linear from 0 to a rounded-up maximum, or base-10 logarithmic from 1.
    enum ValueAxis: Sendable {
        /// Linear from 0 to `max` (rounded up to a nice value) with the given title.
        case linear(max: Double, title: String)
        /// Logarithmic from 1 to the next power of 10 above `max`, ticks at powers of 10.
        case log(max: Double, title: String)

        /// The axis title, with its unit.
        var title: String {
            switch self {
            case .linear(_, let title), .log(_, let title): return title
            }
        }

        /// The top of the axis.
        var top: Double {
            switch self {
            case .linear(let max, _): return Self.niceStep(max) * Double(Self.tickCount(max))
            case .log(let max, _): return Swift.max(10, pow(10, ceil(log10(Swift.max(max, 1)))))
            }
        }

        /// Where `value` lies between the bottom (0) and the top (1) of the axis, clamped.
        func fraction(_ value: Double) -> Double {
            guard value.isFinite else { return 0 }
            switch self {
            case .linear:
                return Swift.min(1, Swift.max(0, value / top))
            case .log:
                guard value >= 1 else { return 0 }
                return Swift.min(1, log10(value) / log10(top))
            }
        }

        /// Tick values and their labels.
        var ticks: [(value: Double, label: String)] {
            switch self {
            case .linear(let max, _):
                let step = Self.niceStep(max)
                return (0...Self.tickCount(max)).map { i in
                    let v = Double(i) * step
                    return (v, step < 1 ? String(format: step < 0.1 ? "%.2f" : "%.1f", v) : String(format: "%.0f", v))
                }
            case .log:
                let decades = Int(log10(top).rounded())
                return (0...decades).map { d in
                    let v = pow(10, Double(d))
                    return (v, Self.compact(v))
                }
            }
        }

        /// `1`, `10`, `100`, `1k`, `10k`, `100k`, `1M`.
        static func compact(_ value: Double) -> String {
            if value >= 1_000_000 { return String(format: "%.0fM", value / 1_000_000) }
            if value >= 1_000 { return String(format: "%.0fk", value / 1_000) }
            return String(format: "%.0f", value)
        }

        /// A step of 1, 2 or 5 × 10ⁿ giving about five ticks up to `max`.
        static func niceStep(_ max: Double) -> Double {
            let target = (max.isFinite && max > 0 ? max : 1) / 5
            let magnitude = pow(10, floor(log10(target)))
            for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= target { return m * magnitude }
            return 10 * magnitude
        }

        static func tickCount(_ max: Double) -> Int {
            let step = niceStep(max)
            return Swift.max(1, Int(ceil((max.isFinite && max > 0 ? max : 1) / step - 1e-9)))
        }
    }

    /// Horizontal grid lines, tick labels and the rotated axis title of a vertical value axis
    /// spanning `top`…`bottom` at `x`, with grid lines to `right`.
    func valueAxis(_ axis: ValueAxis, x: Double, top: Double, bottom: Double, right: Double) -> String {
        var out = "<g class=\"axis\">\n"
        for tick in axis.ticks {
            let y = bottom - axis.fraction(tick.value) * (bottom - top)
            out += line(x1: x, y1: y, x2: right, y2: y, stroke: "#dddddd")
            out += text(tick.label, x: x - 6, y: y + 4, anchor: "end", size: 11, fill: "#444444")
        }
        out += line(x1: x, y1: top, x2: x, y2: bottom, stroke: "#666666")
        out += text(axis.title, x: 16, y: (top + bottom) / 2, anchor: "middle", size: 12, rotate: -90)
        return out + "</g>\n"
    }
}
