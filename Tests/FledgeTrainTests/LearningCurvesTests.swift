import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import FledgeTrain

/// Parses an SVG with XMLParser and collects what the tests look at.
final class SVGSummary: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    private var currentText: String?

    static func parse(_ svg: String) -> SVGSummary? {
        let summary = SVGSummary()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = summary
        return parser.parse() ? summary : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
        if name == "text" { currentText = "" }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText? += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let text = currentText { texts.append(text); currentText = nil }
    }
    func find(_ name: String, class className: String) -> [[String: String]] {
        elements.filter { $0.name == name && $0.attributes["class"] == className }.map(\.attributes)
    }
}

@Test func linearAxisHasNiceTicksCoveringTheData() {
    let scale = AxisScale.linear(minimum: 0.13, maximum: 0.87)
    #expect(scale.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(!scale.logarithmic)
    let steps = AxisScale.linear(minimum: 3, maximum: 397)
    #expect(steps.ticks == [0, 100, 200, 300, 400])
    #expect(steps.label(200) == "200")
    // A constant learning rate's ticks read alike (no 9e-4 next to 0.001).
    let rates = AxisScale.linear(minimum: 0.00095, maximum: 0.00105)
    #expect(rates.ticks.map(rates.label).allSatisfy { !$0.contains("e") })
}

@Test func logAxisTicksAtDecadesWhenValuesSpanDecades() {
    #expect(AxisScale.spansDecades([1e-1, 1e-3, 1e-4]))
    #expect(!AxisScale.spansDecades([0.01, 0.02, 0.03]))
    let scale = AxisScale.log(minimum: 3e-4, maximum: 0.1)
    #expect(scale.ticks.count == 4)
    #expect(scale.label(scale.ticks[0]) == "1e-4")
    #expect(abs(scale.fraction(1e-2) - 2.0 / 3.0) < 1e-9)
}

@Test func chartIsWellFormedWithTicksLabelsLegendAndMarker() throws {
    let chart = LineChart(title: "Loss <test>", xLabel: "step (optimizer steps)", yLabel: "loss",
                          series: [.init(name: "train", points: [(0, 1.0), (10, 0.6), (20, 0.4)]),
                                   .init(name: "validation", points: [(10, 0.7), (20, 0.5)])],
                          marker: .init(x: 20, label: "best checkpoint (step 20)"))
    let svg = try #require(SVGSummary.parse(chart.svg()))
    #expect(svg.find("polyline", class: "series").map { $0["data-name"] } == ["train", "validation"])
    #expect(svg.texts.contains("train") && svg.texts.contains("validation"))
    #expect(svg.texts.contains("best checkpoint (step 20)"))
    #expect(svg.texts.contains("step (optimizer steps)") && svg.texts.contains("loss"))
    #expect(svg.texts.contains("Loss <test>"))
    for tick in ["0", "10", "20", "0.4", "1"] { #expect(svg.texts.contains(tick), "tick \(tick)") }
    #expect(svg.find("line", class: "marker").first?["data-x"] == "20.0")
}

@Test func learningRateSpanningDecadesUsesALogAxis() throws {
    var rows: [LearningCurves.Row] = []
    for index in 0..<5 {
        let lr: Double = pow(10, -Double(index + 1))
        rows.append((step: (index + 1) * 10, values: ["lr": lr, "train_loss": 1.0]))
    }
    let directory = makeTemporaryDirectory("fledge-plots")
    try LearningCurves.write(rows: rows, bestStep: nil, to: directory)
    let text = try String(contentsOf: directory.appendingPathComponent("lr.svg"), encoding: .utf8)
    let svg = try #require(SVGSummary.parse(text))
    #expect(svg.texts.contains("learning rate (group 0) (log scale)"))
    #expect(svg.texts.contains("1e-5") && svg.texts.contains("1e-1"))
}

@Test func trainingWritesPlotsWithTheBestCheckpointMarked() throws {
    let config = testConfig { $0.training.epochs = 4 }
    let trainer = try makeTrainer(config, callbacks: [MetricsLogger(), LearningCurvesWriter(), ModelCheckpoint()])
    _ = try trainer.fit()
    let run = try #require(trainer.runDirectory)
    let plots = run.root.appendingPathComponent("plots")
    let names = Set(try FileManager.default.contentsOfDirectory(atPath: plots.path))
    #expect(names == ["loss.svg", "accuracy.svg", "lr.svg"])

    let rows = try LearningCurves.readMetrics(run.metricsFile)
    let best = try #require(LearningCurves.bestStep(rows, monitor: "val_loss", mode: .min))
    let checkpoints = try FileManager.default.contentsOfDirectory(atPath: run.checkpointsDirectory.path)
    #expect(checkpoints.contains("best-\(best)"))
    for name in names {
        let text = try String(contentsOf: plots.appendingPathComponent(name), encoding: .utf8)
        let svg = try #require(SVGSummary.parse(text), "\(name) is well-formed")
        #expect(svg.find("line", class: "marker").first?["data-x"] == "\(Double(best))", "\(name)")
    }
    let loss = try #require(SVGSummary.parse(try String(contentsOf: plots.appendingPathComponent("loss.svg"), encoding: .utf8)))
    #expect(loss.find("polyline", class: "series").map { $0["data-name"] } == ["train", "validation"])

    // Rebuilding from metrics.jsonl alone gives the same files.
    try FileManager.default.removeItem(at: plots)
    let written = try LearningCurves.write(runDirectory: run.root)
    #expect(Set(written.map(\.lastPathComponent)) == names)
}
