/// Text from the data (suite, test and platform names, error messages that
/// quote input) made safe to print on a terminal.
///
/// Names come from files and servers slowreg does not control. Printed as
/// they are, an escape sequence (`ESC [ 2 J`) would clear or recolour the
/// user's terminal, and a newline or carriage return would forge extra lines
/// of a table or a log. ``visible(_:)`` writes every control character as a
/// visible escape instead, so what is printed is one line that shows what the
/// data holds.
public enum TerminalText {
    /// `text` with each C0/C1 control character (and DEL) written as `\n`,
    /// `\r`, `\t` or `\u{XX}`; everything else unchanged.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else { out.unicodeScalars.append(scalar); continue }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// C0 controls, DEL and the C1 controls (U+0080–U+009F, which some
    /// terminals also obey).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
