/// Finds the valid key nearest to a misspelt one, by edit distance, for "did you mean" messages.
enum KeySuggestion {
    /// The candidate nearest to `key`, if it is close enough to be a plausible typo: at most a
    /// third of the key's length in edits (and at least 2 allowed), or `key` is a prefix of it.
    static func nearest(to key: String, among candidates: [String]) -> String? {
        let lowered = key.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate)
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let allowed = max(2, key.count / 3)
        if best.distance <= allowed { return best.candidate }
        return candidates.first { $0.hasPrefix(lowered) && lowered.count >= 3 }
    }

    /// Levenshtein distance (insertions, deletions, substitutions) between two strings.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
