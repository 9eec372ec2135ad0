import Foundation
// TPE parity harness (scripts/bench/tpe_parity/build.sh): Fledge's TPE on a fixed Branin history. Reads JSON on stdin:
// {"history": [{"number", "x", "y", "value"}], "points": [[x, y]], "draws": N}
// writes {"logl": [...], "logg": [...], "proposals": [[x, y]]}.
let input = try! JSONSerialization.jsonObject(with: FileHandle.standardInput.readDataToEndOfFile()) as! [String: Any]
let rows = input["history"] as! [[String: Any]]
let history: [TrialRecord] = rows.enumerated().map { i, r in
    TrialRecord(id: Int64(i), number: r["number"] as! Int, state: .complete,
                params: ["x": r["x"] as! Double, "y": r["y"] as! Double], value: r["value"] as? Double, createdAt: Date())
}
let space = SearchSpace([SearchParameter(name: "x", distribution: .float(low: -5, high: 10, log: false, step: nil)),
                         SearchParameter(name: "y", distribution: .float(low: 0, high: 15, log: false, step: nil))])
let distributions = space.parameters.map(\.distribution)   // x, y (sorted by name)
let ranked = TPESampler.ranked(history, direction: .minimize)
let nBelow = TPESampler.gamma(ranked.count)
let below = ranked.prefix(nBelow).sorted { $0.number < $1.number }
let above = ranked.dropFirst(nBelow).sorted { $0.number < $1.number }
func obs(_ t: [TrialRecord]) -> [[Double]] { t.map { [$0.params["x"]!, $0.params["y"]!] } }
let l = ParzenEstimator(observations: obs(Array(below)), distributions: distributions)
let g = ParzenEstimator(observations: obs(Array(above)), distributions: distributions)
let points = input["points"] as! [[Double]]
let draws = input["draws"] as! Int
let next = (rows.map { $0["number"] as! Int }.max() ?? -1) + 1
let proposals: [[Double]] = (0..<draws).map { s in
    let p = TPESampler(seed: UInt64(s)).sample(space: space, trialNumber: next, history: history, direction: .minimize)
    return [p["x"]!, p["y"]!]
}
let out: [String: Any] = ["logl": l.logDensities(points), "logg": g.logDensities(points), "proposals": proposals,
                          "n_below": below.count, "n_above": above.count]
FileHandle.standardOutput.write(try! JSONSerialization.data(withJSONObject: out))
