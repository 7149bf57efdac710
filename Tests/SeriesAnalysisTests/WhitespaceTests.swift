import Foundation
import SeriesAnalysis
import Testing

/// `trimmingWhitespace` trims exactly what `trimmingCharacters(in: .whitespaces)` trims.
@Test func trimmingWhitespaceMatchesFoundation() {
    let cases = ["", " ", "\t", "  a  ", "\ta b\t", "\u{00A0}12.5\u{3000}", "\u{2009}x\u{202F}", " é ", " e\u{301} ",
                 "\u{301} ", "a\n", "\n a \n", "\r\n", "\"quoted\" ", " 😀 ", "\u{FEFF}x", "\u{1680}y\u{205F}"]
    for text in cases {
        #expect(text.trimmingWhitespace == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        #expect(Substring(text).trimmingWhitespace == text.trimmingCharacters(in: .whitespaces), "substring \(text.debugDescription)")
    }
    let row = "a,  12.5 ,b"
    #expect(row.split(separator: ",")[1].trimmingWhitespace == "12.5", "a slice of a longer string")
}
