/// A wildcard pattern over dotted parameter names: `*` matches any run of characters
/// (dots included), `?` matches one character.
///
/// A pattern without wildcards that names a module (`encoder`) also matches everything under it
/// (`encoder.layers.0.weight`), as people expect when they freeze "the encoder".
public struct NamePattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern text.
    public let text: String
    private let characters: [Character]

    /// Creates a pattern from text such as `encoder.*` or `*.bias`.
    public init(_ text: String) {
        self.text = text
        self.characters = Array(text)
    }

    /// True when `name` matches the whole pattern, or `name` lies under a module the pattern matches.
    public func matches(_ name: String) -> Bool {
        let candidate = Array(name)
        if Self.glob(characters[...], candidate[...]) { return true }
        // Module prefixes: "encoder" matches "encoder.weight", "enc*" matches "encoder.weight".
        for index in candidate.indices where candidate[index] == "." {
            if Self.glob(characters[...], candidate[..<index]) { return true }
        }
        return false
    }

    /// Iterative glob with single-star backtracking: linear in practice, no recursion.
    private static func glob(_ pattern: ArraySlice<Character>, _ text: ArraySlice<Character>) -> Bool {
        var p = pattern.startIndex, t = text.startIndex
        var starP: Int? = nil, starT = text.startIndex
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1; t += 1
            } else if p < pattern.endIndex, pattern[p] == "*" {
                starP = p; starT = t; p += 1
            } else if let star = starP {
                p = star + 1; starT += 1; t = starT
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == "*" { p += 1 }
        return p == pattern.endIndex
    }

    public var description: String { text }
}

extension Module {
    /// Freezes every parameter whose dotted name matches `pattern` (`encoder.*`, `*.bias`):
    /// it keeps its value but receives no gradient. Returns how many parameters matched.
    @discardableResult
    public func freeze(matching pattern: String) -> Int { setTrainable(false, matching: pattern) }

    /// Makes every parameter whose dotted name matches `pattern` trainable again.
    /// Returns how many parameters matched.
    @discardableResult
    public func unfreeze(matching pattern: String) -> Int { setTrainable(true, matching: pattern) }

    /// Freezes every parameter.
    public func freeze() { for parameter in parameters { parameter.isTrainable = false } }

    /// Makes every parameter trainable.
    public func unfreeze() { for parameter in parameters { parameter.isTrainable = true } }

    private func setTrainable(_ trainable: Bool, matching pattern: String) -> Int {
        let matcher = NamePattern(pattern)
        var matched = 0
        for (name, parameter) in namedParameters where matcher.matches(name) {
            if parameter.isTrainable != trainable { parameter.isTrainable = trainable }
            matched += 1
        }
        return matched
    }
}
