/// Escaping for text placed in SVG and HTML (element content and quoted attribute values):
/// every string that comes from user data (column and class names, config values, paths) goes
/// through it, so a `<script>` in a CSV header stays text.
enum Markup {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
