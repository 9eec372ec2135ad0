import Foundation

/// A self-contained SVG line chart: axes with nice ticks and labels, axis titles with units,
/// a legend, optional log-scaled y axis and a vertical marker (the best checkpoint).
public struct LineChart: Sendable {
    /// One line of the chart.
    public struct Series: Sendable {
        /// The legend entry.
        public var name: String
        /// The (x, y) points; non-finite y values are skipped.
        public var points: [(x: Double, y: Double)]
        /// Joined by a line (learning curves) or drawn as separate dots (a scatter plot).
        public var style: Style
        /// Creates a series.
        public init(name: String, points: [(x: Double, y: Double)], style: Style = .line) {
            self.name = name
            self.points = points
            self.style = style
        }
    }

    /// How a series is drawn.
    public enum Style: Sendable {
        /// A polyline through the points in order.
        case line
        /// A small dot per point.
        case dots
    }

    /// A vertical line at `x` with a label (e.g. "best (step 120)").
    public struct Marker: Sendable {
        /// Where the marker sits on the x axis.
        public var x: Double
        /// The marker's legend text.
        public var label: String
        /// Creates a marker.
        public init(x: Double, label: String) {
            self.x = x
            self.label = label
        }
    }

    /// The chart title.
    public var title: String
    /// The x axis title with its unit, e.g. "step (optimizer steps)".
    public var xLabel: String
    /// The y axis title with its unit.
    public var yLabel: String
    /// The lines.
    public var series: [Series]
    /// An optional vertical marker.
    public var marker: Marker?
    /// Forces a log y axis (true), a linear one (false) or decides from the data (nil: log when
    /// positive values span more than 1.5 decades).
    public var logY: Bool?

    /// Creates a chart.
    public init(title: String, xLabel: String, yLabel: String, series: [Series], marker: Marker? = nil, logY: Bool? = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.marker = marker
        self.logY = logY
    }

    /// Line colours (colour-blind friendly Okabe–Ito palette).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

    private static let width = 640.0, height = 400.0
    private static let left = 72.0, right = 20.0, top = 40.0, bottom = 56.0

    /// The y scale the chart uses (exposed for tests).
    public var yScale: AxisScale {
        let ys = series.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
        let useLog = logY ?? AxisScale.spansDecades(ys)
        if useLog, let low = ys.filter({ $0 > 0 }).min(), let high = ys.max() { return .log(minimum: low, maximum: high) }
        return .linear(minimum: ys.min() ?? 0, maximum: ys.max() ?? 1)
    }

    /// The x scale the chart uses.
    public var xScale: AxisScale {
        var xs = series.flatMap { $0.points.map(\.x) }.filter(\.isFinite)
        if let marker { xs.append(marker.x) }
        return .linear(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1)
    }

    /// The chart as an SVG document; without `xmlDeclaration` it can be placed inline in HTML.
    public func svg(xmlDeclaration: Bool = true) -> String {
        let xs = xScale, ys = yScale
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        func px(_ x: Double) -> Double { Self.left + xs.fraction(x) * plotW }
        func py(_ y: Double) -> Double { Self.top + (1 - ys.fraction(y)) * plotH }
        var out = xmlDeclaration ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        out += """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(Self.height))" \
        viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" font-family="sans-serif" font-size="12">
        <title>\(escape(title))</title>
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(Self.width / 2))" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

        """
        out += "<g class=\"grid\" stroke=\"#e5e5e5\">\n"
        for tick in ys.ticks { out += "<line x1=\"\(f(Self.left))\" x2=\"\(f(Self.left + plotW))\" y1=\"\(f(py(tick)))\" y2=\"\(f(py(tick)))\"/>\n" }
        out += "</g>\n<g class=\"axes\" stroke=\"black\">\n"
        out += "<line x1=\"\(f(Self.left))\" y1=\"\(f(Self.top + plotH))\" x2=\"\(f(Self.left + plotW))\" y2=\"\(f(Self.top + plotH))\"/>\n"
        out += "<line x1=\"\(f(Self.left))\" y1=\"\(f(Self.top))\" x2=\"\(f(Self.left))\" y2=\"\(f(Self.top + plotH))\"/>\n</g>\n"
        out += "<g class=\"x-ticks\" text-anchor=\"middle\">\n"
        for tick in xs.ticks {
            out += "<line x1=\"\(f(px(tick)))\" x2=\"\(f(px(tick)))\" y1=\"\(f(Self.top + plotH))\" y2=\"\(f(Self.top + plotH + 5))\" stroke=\"black\"/>"
            out += "<text x=\"\(f(px(tick)))\" y=\"\(f(Self.top + plotH + 18))\">\(escape(xs.label(tick)))</text>\n"
        }
        out += "</g>\n<g class=\"y-ticks\" text-anchor=\"end\">\n"
        for tick in ys.ticks {
            out += "<line x1=\"\(f(Self.left - 5))\" x2=\"\(f(Self.left))\" y1=\"\(f(py(tick)))\" y2=\"\(f(py(tick)))\" stroke=\"black\"/>"
            out += "<text x=\"\(f(Self.left - 8))\" y=\"\(f(py(tick) + 4))\">\(escape(ys.label(tick)))</text>\n"
        }
        out += "</g>\n"
        out += "<text class=\"x-label\" x=\"\(f(Self.left + plotW / 2))\" y=\"\(f(Self.height - 14))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        let yTitle = ys.logarithmic ? "\(yLabel) (log scale)" : yLabel
        out += "<text class=\"y-label\" transform=\"translate(16 \(f(Self.top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yTitle))</text>\n"
        for (index, line) in series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let points = line.points.filter { $0.y.isFinite && (!ys.logarithmic || $0.y > 0) }
            if line.style == .dots {
                out += "<g class=\"series\" data-name=\"\(escape(line.name))\" fill=\"\(colour)\" fill-opacity=\"0.6\">"
                out += points.map { "<circle cx=\"\(f(px($0.x)))\" cy=\"\(f(py($0.y)))\" r=\"2.5\"/>" }.joined()
                out += "</g>\n"
                continue
            }
            let coordinates = points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            out += "<polyline class=\"series\" data-name=\"\(escape(line.name))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(coordinates)\"/>\n"
            if points.count == 1 { out += "<circle cx=\"\(f(px(points[0].x)))\" cy=\"\(f(py(points[0].y)))\" r=\"3\" fill=\"\(colour)\"/>\n" }
        }
        if let marker {
            out += "<line class=\"marker\" data-x=\"\(marker.x)\" x1=\"\(f(px(marker.x)))\" x2=\"\(f(px(marker.x)))\" y1=\"\(f(Self.top))\" y2=\"\(f(Self.top + plotH))\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>\n"
        }
        out += legend()
        return out + "</svg>\n"
    }

    /// The legend box in the top-right corner of the plot area.
    private func legend() -> String {
        var entries = series.enumerated().map { (Self.palette[$0.offset % Self.palette.count], $0.element.name, false) }
        if let marker { entries.append(("#555", marker.label, true)) }
        let longest = entries.map(\.1.count).max() ?? 0
        let boxW = 34 + Double(longest) * 7, x = Self.width - Self.right - boxW - 6, y = Self.top + 6
        var out = "<g class=\"legend\">\n<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(boxW))\" height=\"\(f(Double(entries.count) * 18 + 6))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>\n"
        for (index, entry) in entries.enumerated() {
            let rowY = y + 14 + Double(index) * 18
            let dash = entry.2 ? " stroke-dasharray=\"4 3\"" : ""
            out += "<line x1=\"\(f(x + 6))\" x2=\"\(f(x + 26))\" y1=\"\(f(rowY - 4))\" y2=\"\(f(rowY - 4))\" stroke=\"\(entry.0)\" stroke-width=\"2\"\(dash)/>"
            out += "<text x=\"\(f(x + 30))\" y=\"\(f(rowY))\">\(escape(entry.1))</text>\n"
        }
        return out + "</g>\n"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    private func escape(_ text: String) -> String { Markup.escape(text) }
}
