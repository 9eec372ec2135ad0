import Foundation
// TPE parity harness (scripts/bench/tpe_parity/build.sh): Fledge's TPE on a fixed history. Reads JSON on stdin:
// {"space": [{"name", "type": "float"|"int"|"categorical", "low", "high", "log", "choices"}],
//  "history": [{"number", "params": {name: stored value (categorical: choice index)}, "value"}],
//  "points": [{name: stored value}], "draws": N}
// and writes {"logl": [...], "logg": [...], "proposals": [{name: stored value}], "n_below", "n_above"}.
let input = try! JSONSerialization.jsonObject(with: FileHandle.standardInput.readDataToEndOfFile()) as! [String: Any]
let space = SearchSpace((input["space"] as! [[String: Any]]).map { p in
    let name = p["name"] as! String, log = p["log"] as? Bool ?? false
    switch p["type"] as! String {
    case "int": return SearchParameter(name: name, distribution: .int(low: p["low"] as! Int, high: p["high"] as! Int, log: log, step: 1))
    case "categorical": return SearchParameter(name: name, distribution: .categorical((0..<(p["choices"] as! Int)).map { .int($0) }))
    default: return SearchParameter(name: name, distribution: .float(low: p["low"] as! Double, high: p["high"] as! Double, log: log, step: nil))
    }
})
let rows = input["history"] as! [[String: Any]]
let history: [TrialRecord] = rows.enumerated().map { i, r in
    TrialRecord(id: Int64(i), number: r["number"] as! Int, state: .complete,
                params: (r["params"] as! [String: Any]).mapValues { ($0 as! NSNumber).doubleValue }, value: r["value"] as? Double, createdAt: Date())
}
let names = space.parameters.map(\.name)
let ranked = TPESampler.ranked(history, direction: .minimize)
let nBelow = TPESampler.gamma(ranked.count)
let below = ranked.prefix(nBelow).sorted { $0.number < $1.number }
let above = ranked.dropFirst(nBelow).sorted { $0.number < $1.number }
func obs(_ t: [TrialRecord]) -> [[Double]] { t.map { trial in names.map { trial.params[$0]! } } }
let l = ParzenEstimator(observations: obs(Array(below)), distributions: space.parameters.map(\.distribution))
let g = ParzenEstimator(observations: obs(Array(above)), distributions: space.parameters.map(\.distribution))
let points = (input["points"] as! [[String: Any]]).map { p in names.map { (p[$0] as! NSNumber).doubleValue } }
let next = (rows.map { $0["number"] as! Int }.max() ?? -1) + 1
let proposals: [[String: Double]] = (0..<(input["draws"] as! Int)).map { s in
    TPESampler(seed: UInt64(s)).sample(space: space, trialNumber: next, history: history, direction: .minimize)
}
let out: [String: Any] = ["logl": l.logDensities(points), "logg": g.logDensities(points), "proposals": proposals,
                          "n_below": below.count, "n_above": above.count]
FileHandle.standardOutput.write(try! JSONSerialization.data(withJSONObject: out))
