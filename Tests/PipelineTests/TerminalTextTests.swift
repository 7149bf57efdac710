import Testing
import Store

@Suite("TerminalText: names from the data printed without terminal control")
struct TerminalTextTests {
    @Test("control characters are written as visible escapes; other text is unchanged", arguments: [
        ("tabpaint", "tabpaint"),
        ("évil ✓ 名前", "évil ✓ 名前"),
        ("evil\u{1B}[2Jname", "evil\\u{1B}[2Jname"),
        ("two\nlines\r", "two\\nlines\\r"),
        ("tab\there", "tab\\there"),
        ("nul\u{0}byte\u{7F}\u{9B}", "nul\\u{0}byte\\u{7F}\\u{9B}"),
    ])
    func visible(_ input: String, _ expected: String) {
        #expect(TerminalText.visible(input) == expected)
        #expect(!TerminalText.visible(input).unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }

    @Test("series filters name themselves as options, escaped")
    func filterText() {
        var filter = SeriesFilter()
        #expect(filter.isUnrestricted)
        filter.suite = "ty\npo"
        filter.platform = "linux64"
        #expect(filter.optionText == "--suite 'ty\\npo' --platform 'linux64'")
        #expect(!filter.isUnrestricted)
    }
}
