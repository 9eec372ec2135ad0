import Foundation

extension RunReport {
    /// The page as one HTML document (also well-formed XML, so it can be checked by a parser).
    public func html() -> String {
        let name = run.root.lastPathComponent
        var body = header(name)
        body += diagnosisSection()
        body += metricsSection()
        body += curvesSection()
        body += outputsSection()
        body += dataSection()
        body += configSection()
        body += environmentSection()
        body += "<footer>Written by Fledge \(e(summary?.environment.fledgeVersion ?? FledgeVersion.current)); "
            + "rebuild it with <code>fledge report \(e(run.root.path))</code>.</footer>\n"
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>Fledge run \(e(name))</title>
        <style>\(Self.style)</style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    private func header(_ name: String) -> String {
        var facts: [String] = []
        if let summary {
            facts.append("\(e(summary.data.task)) task")
            facts.append("\(summary.globalStep) optimizer steps")
            facts.append("finished \(e(summary.finishedAt))")
        } else if let last = history.last {
            facts.append("\(last.step) optimizer steps logged (no summary.json: the run is still training or did not finish)")
        }
        var out = "<header id=\"summary\">\n<h1>Run <span class=\"run-name\">\(e(name))</span></h1>\n"
        out += "<p class=\"facts\">\(facts.joined(separator: " · "))</p>\n"
        if let reason = summary?.stopReason {
            out += "<p class=\"\(summary?.failed == true ? "stop failed" : "stop")\">\(summary?.failed == true ? "Stopped with an error" : "Stopped early"): \(e(reason))</p>\n"
        }
        return out + "<p class=\"path\">\(e(run.root.path))</p>\n</header>\n"
    }

    private func diagnosisSection() -> String {
        let verdict = diagnosis.verdict
        let tone = verdict == .healthy ? "good" : verdict == .insufficientData ? "neutral" : verdict == .diverging ? "bad" : "warn"
        var out = "<section id=\"diagnosis\">\n<h2>Diagnosis</h2>\n"
        out += "<p class=\"verdict \(tone)\"><strong>\(e(verdict.rawValue.replacingOccurrences(of: "_", with: " ")))</strong> — \(e(diagnosis.summary))</p>\n"
        out += list(diagnosis.evidence.map(e), title: "Evidence")
        if !diagnosis.remedies.isEmpty {
            out += list(diagnosis.remedies.map { "\(e($0.action)) (<code>\(e($0.configKey))</code>)" }, title: "Try")
        }
        if let baseline {
            out += "<p class=\"note\">Baseline, a model that ignores its inputs (\(e(baseline.description))): loss \(number(baseline.loss))"
                + (baseline.accuracy.map { ", accuracy \(number($0))" } ?? "") + ". The rules are in docs/diagnosis.md.</p>\n"
        }
        return out + "</section>\n"
    }

    private func metricsSection() -> String {
        var out = "<section id=\"metrics\">\n<h2>Final metrics</h2>\n"
        guard let summary, !summary.outcomes.isEmpty else {
            return out + "<p class=\"note\">No final metrics: \(summary?.failed == true ? "training stopped with an error" : "the run has no summary.json yet").</p>\n</section>\n"
        }
        let outcomes = summary.outcomes
        let keys = Set(outcomes.flatMap(\.metrics.keys))
        let ordered = (keys.contains("loss") ? ["loss"] : []) + keys.subtracting(["loss"]).sorted()
        var rows = [["metric"] + outcomes.map { outcome in
            "\(outcome.split) (" + (outcome.sampledFrom.map { "sample of \(outcome.rows) of \($0) rows" } ?? "\(outcome.rows) rows") + ")"
        }]
        for key in ordered { rows.append([key] + outcomes.map { $0.metrics[key].map(number) ?? "—" }) }
        out += table(rows, headerColumn: true)
        out += "<p class=\"note\">The final model (the best checkpoint with <code>training.load_best_model_at_end</code>) measured on each split in evaluation mode; "
            + "a large training split is measured on \(RunSummary.trainingSampleRows) evenly spaced rows.</p>\n"
        return out + "</section>\n"
    }

    private func curvesSection() -> String {
        let (rows, bestStep) = curveRows
        let charts = LearningCurves.charts(rows: rows, bestStep: bestStep)
        var out = "<section id=\"curves\">\n<h2>Learning curves</h2>\n"
        if charts.isEmpty { return out + "<p class=\"note\">No log entries in metrics.jsonl.</p>\n</section>\n" }
        out += "<div class=\"charts\">\n"
        for (fileName, chart) in charts {
            out += "<figure class=\"chart\" data-file=\"\(e(fileName))\">\(chart.svg(xmlDeclaration: false))</figure>\n"
        }
        return out + "</div>\n</section>\n"
    }

    /// Confusion matrices (classification) or residual plots (regression) of the held-out splits.
    private func outputsSection() -> String {
        guard let summary, !summary.outcomes.isEmpty else { return "" }
        let heldOut = summary.outcomes.filter { $0.split != "train" }
        let shown = heldOut.isEmpty ? summary.outcomes : heldOut
        if summary.data.task == "regression" {
            var out = "<section id=\"residuals\">\n<h2>Residuals</h2>\n<div class=\"charts\">\n"
            for outcome in shown {
                guard let sample = outcome.residuals else { continue }
                out += "<figure class=\"chart\">\(residualChart(sample, split: outcome.split).svg(xmlDeclaration: false))"
                out += "<figcaption>\(e(outcome.split)): \(sample.count) rows, mean residual \(number(sample.meanResidual)), "
                    + "RMSE \(number(sample.rootMeanSquare))\(sample.keepEvery > 1 ? ", every \(sample.keepEvery)th row plotted" : "")</figcaption></figure>\n"
            }
            return out + "</div>\n<p class=\"note\">Residual = true − predicted, in the target's units (first target). A good fit scatters evenly around zero; a slope or a curve means the model misses a trend.</p>\n</section>\n"
        }
        var out = "<section id=\"confusion\">\n<h2>Confusion matrix</h2>\n"
        let multilabel = summary.data.task == "multilabel"
        for outcome in multilabel ? Array(shown.suffix(1)) : shown where !outcome.confusion.isEmpty {
            out += "<h3>\(e(outcome.split)) (\(outcome.rows) rows)</h3>\n<div class=\"matrices\">\n"
            for matrix in outcome.confusion.prefix(24) { out += confusionTable(matrix) }
            if outcome.confusion.count > 24 { out += "<p class=\"note\">… and \(outcome.confusion.count - 24) more labels.</p>\n" }
            out += "</div>\n"
        }
        return out + "<p class=\"note\">Rows: true class; columns: predicted class; shading: share of the true class's rows.</p>\n</section>\n"
    }

    private func residualChart(_ sample: ResidualSample, split: String) -> LineChart {
        let points = zip(sample.predicted, sample.residuals).map { (x: $0, y: $1) }.filter { $0.x.isFinite && $0.y.isFinite }
        let xs = points.map(\.x)
        var series = [LineChart.Series(name: "rows", points: points, style: .dots)]
        if let low = xs.min(), let high = xs.max() {
            series.append(LineChart.Series(name: "zero residual", points: [(low, 0), (high, 0)]))
        }
        return LineChart(title: "Residuals (\(split))", xLabel: "predicted value (target units)",
                         yLabel: "true − predicted (target units)", series: series, logY: false)
    }

    private func confusionTable(_ matrix: ConfusionMatrix) -> String {
        var out = "<table class=\"confusion\">\n"
        if let title = matrix.title { out += "<caption>\(e(title))</caption>\n" }
        out += "<tr><th class=\"corner\">true \\ predicted</th>" + matrix.labels.map { "<th>\(e($0))</th>" }.joined() + "<th>rows</th><th>recall</th></tr>\n"
        for (truth, counts) in matrix.counts.enumerated() {
            let total = counts.reduce(0, +)
            out += "<tr><th>\(e(matrix.labels[truth]))</th>"
            for (guess, count) in counts.enumerated() {
                let share = total > 0 ? Double(count) / Double(total) : 0
                let ink = share > 0.55 ? "#fff" : "#111"
                out += "<td class=\"\(guess == truth ? "hit" : "miss")\" style=\"background: rgba(0, 114, 178, \(String(format: "%.2f", share))); color: \(ink)\">\(count)</td>"
            }
            out += "<td>\(total)</td><td>\(total > 0 ? number(Double(counts[truth]) / Double(total)) : "—")</td></tr>\n"
        }
        return out + "</table>\n"
    }

    private func dataSection() -> String {
        var out = "<section id=\"data\">\n<h2>Data</h2>\n"
        guard let data = summary?.data else { return out + "<p class=\"note\">No summary.json: the data summary is written when training ends.</p>\n</section>\n" }
        var facts: [[String]] = [["task", data.task]]
        for (label, path) in [("train file", data.trainPath), ("validation file", data.validationPath), ("test file", data.testPath)] {
            if let path { facts.append([label, path]) }
        }
        facts.append(["label column(s)", data.labelColumns.joined(separator: ", ")])
        let columns = data.inputColumns
        let shownColumns = columns.prefix(40).joined(separator: ", ") + (columns.count > 40 ? ", … (\(columns.count - 40) more)" : "")
        facts.append(["input columns (\(columns.count))", shownColumns])
        facts.append(["features after encoding", "\(data.featureCount)"])
        out += table(facts, headerColumn: true, header: false)
        out += "<h3>Rows per split</h3>\n" + table([["split", "rows"]] + data.splits.map { [$0.name, "\($0.rows)"] }, headerColumn: true)
        if let counts = data.splits.first?.classCounts, !counts.isEmpty {
            let names = data.classNames.count == counts.count ? data.classNames : counts.indices.map(String.init)
            let title = data.task == "multilabel" ? "Positives per label" : "Class balance"
            var rows = [[data.task == "multilabel" ? "label" : "class"] + data.splits.map(\.name)]
            for (index, name) in names.enumerated() {
                rows.append([name] + data.splits.map { split in
                    guard let counts = split.classCounts, counts.indices.contains(index) else { return "—" }
                    return "\(counts[index]) (\(String(format: "%.1f", 100 * Double(counts[index]) / Double(Swift.max(1, split.rows))))%)"
                })
            }
            out += "<h3>\(title)</h3>\n" + table(rows, headerColumn: true)
        } else if data.splits.contains(where: { $0.targetMean != nil }) {
            var rows = [["split", "target mean", "std", "min", "max"]]
            for split in data.splits {
                rows.append([split.name] + [split.targetMean, split.targetStandardDeviation, split.targetMinimum, split.targetMaximum]
                    .map { $0.map(number) ?? "—" })
            }
            out += "<h3>Target</h3>\n" + table(rows, headerColumn: true)
        }
        return out + "</section>\n"
    }

    private func configSection() -> String {
        "<section id=\"config\">\n<h2>Resolved config</h2>\n"
            + (configYAML.map { "<pre>\(e($0))</pre>\n" } ?? "<p class=\"note\">config.yaml is missing.</p>\n") + "</section>\n"
    }

    private func environmentSection() -> String {
        var out = "<section id=\"environment\">\n<h2>Environment</h2>\n"
        guard let environment = summary?.environment else { return out + "<p class=\"note\">Recorded in summary.json when training ends.</p>\n</section>\n" }
        let rows = [["Fledge", environment.fledgeVersion], ["git commit", environment.gitCommit ?? "— (not in a git repository)"],
                    ["threads", "\(environment.threads) of \(environment.cores) cores"], ["CPU", environment.cpuModel ?? "—"],
                    ["memory", "\(number(environment.memoryGiB)) GiB"], ["OS", environment.operatingSystem],
                    ["Swift", environment.swiftVersion]]
        out += table(rows, headerColumn: true, header: false)
        return out + "</section>\n"
    }

    // MARK: - Markup helpers

    /// A table of escaped cells; the first row is the header unless `header` is false.
    private func table(_ rows: [[String]], headerColumn: Bool, header: Bool = true) -> String {
        var out = header ? "<table>\n" : "<table class=\"facts\">\n"
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { column, cell -> String in
                let tag = (header && index == 0) || (headerColumn && column == 0) ? "th" : "td"
                return "<\(tag)>\(e(cell))</\(tag)>"
            }
            out += "<tr>" + cells.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }

    /// A list of items that are already markup.
    private func list(_ items: [String], title: String) -> String {
        guard !items.isEmpty else { return "" }
        return "<h3>\(e(title))</h3>\n<ul>\n" + items.map { "<li>\($0)</li>\n" }.joined() + "</ul>\n"
    }

    private func e(_ text: String) -> String { Markup.escape(text) }

    private func number(_ value: Double) -> String { value.isFinite ? String(format: "%.4g", value) : "NaN" }

    static let style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0 auto; \
        max-width: 1360px; padding: 16px 24px 40px; color: #1b1b1b; background: #fafafa; line-height: 1.4; }
        h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 1.6em; }
        h3 { font-size: 1.05em; margin: 1em 0 0.4em; }
        .facts, .path, .note, footer { color: #555; } .path { font-family: monospace; font-size: 0.9em; }
        .stop { color: #8a5a00; } .stop.failed { color: #b00020; font-weight: bold; }
        .verdict { font-size: 1.15em; padding: 8px 12px; border-left: 6px solid #999; background: #fff; }
        .verdict.good { border-color: #009E73; } .verdict.warn { border-color: #E69F00; } .verdict.bad { border-color: #D55E00; }
        table { border-collapse: collapse; margin: 6px 0 10px; background: #fff; }
        th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: right; font-variant-numeric: tabular-nums; }
        th { background: #f0f0f0; text-align: left; } td { vertical-align: top; } table.facts td { text-align: left; }
        table.confusion td { min-width: 3em; text-align: center; } table.confusion td.hit { font-weight: bold; }
        caption { font-weight: bold; text-align: left; padding: 2px 0; }
        .charts, .matrices { display: flex; flex-wrap: wrap; gap: 12px; }
        figure.chart { margin: 0; background: #fff; border: 1px solid #ddd; flex: 0 1 440px; } figure.chart svg { display: block; max-width: 100%; height: auto; }
        figcaption { padding: 4px 8px; color: #555; font-size: 0.9em; }
        pre { background: #fff; border: 1px solid #ddd; padding: 10px; overflow-x: auto; font-size: 0.9em; }
        code { background: #eee; padding: 0 3px; border-radius: 3px; }
        footer { margin-top: 2em; font-size: 0.9em; }
        """
}
