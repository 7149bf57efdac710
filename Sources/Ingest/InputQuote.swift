import Foundation

/// Input text as an error message quotes it: on one line, free of terminal
/// control characters, and bounded in length, so a 1 MB cell or a name with an
/// escape sequence cannot flood or repaint the terminal (SPEC §11 "Safe": one
/// line per error).
public enum InputQuote {
    /// Characters of the input shown before the quote is cut off; enough to
    /// recognise a value, short enough that the error stays one terminal line.
    public static let maxCharacters = 80

    /// `"text"`, with control characters written as escapes (`\0`, `\n`, `\u{1B}`)
    /// and, past ``maxCharacters`` characters, cut with `…` and the full length:
    /// `"1111…" (1048576 characters)`.
    public static func quoted(_ text: String, limit: Int = maxCharacters) -> String {
        var shown = ""
        var count = 0
        var truncated = false
        for character in text {
            if count == limit {
                truncated = true
                break
            }
            shown += escaped(character)
            count += 1
        }
        guard truncated else { return "\"\(shown)\"" }
        return "\"\(shown)…\" (\(text.count) characters)"
    }

    private static func escaped(_ character: Character) -> String {
        var result = ""
        for scalar in character.unicodeScalars {
            switch scalar {
            case "\0": result += "\\0"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\"": result += "\\\""
            default:
                if NameText.isControl(scalar) {
                    result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}

/// The rule for names and other free text read from input (suite, test,
/// platform, project, revision, …): no control characters. A NUL byte would cut
/// the name short in C APIs (a new series appears under the truncated name), and
/// escape sequences or line breaks in a name would reach the terminal of
/// everyone who lists the series.
public enum NameText {
    /// C0 controls (U+0000–U+001F, tab and line breaks included), DEL (U+007F)
    /// and the C1 controls (U+0080–U+009F).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Why `text` is not acceptable as a name, or `nil` when it is.
    public static func problem(_ text: String) -> String? {
        for (offset, scalar) in text.unicodeScalars.enumerated() where isControl(scalar) {
            let what = scalar.value == 0 ? "a NUL byte"
                : "the control character U+" + String(format: "%04X", scalar.value)
            return "\(InputQuote.quoted(text)) contains \(what) at character \(offset + 1); names may not contain control characters"
        }
        return nil
    }
}
