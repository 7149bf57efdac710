import Ingest
import Testing

@Suite("SimplifiedName: sname of SPEC §3")
struct SimplifiedNameTests {
    let rules = SelectionConfig.releaseCriteria.simplifiedNames

    @Test("release-criteria names", arguments: [
        ("raptor-tp6-amazon-firefox-cold", "tp6-cold"),
        ("raptor-tp6-amazon-firefox", "tp6-warm"),
        ("raptor-tp6m-youtube-geckoview-cold", "tp6-cold"),
        ("raptor-speedometer-firefox", "speedometer"),
        ("raptor-speedometer-geckoview", "speedometer"),
        ("raptor-scn-power-idle-fenix", "power-idle-foreground"),
        ("raptor-scn-power-idle-geckoview", "power-idle-foreground"),
        ("tabswitch", "tabswitch"),
        ("sessionrestore", "sessionrestore"),
        ("raptor-scn-power-idle-bg-fenix", "raptor-scn-power-idle-bg-fenix"),
    ])
    func names(suite: String, sname: String) {
        #expect(SimplifiedName.of(suite, rules: rules) == sname)
    }

    @Test("the first matching rule wins")
    func order() {
        let rules = [SimplifiedNameRule(prefix: "a", sname: "first"), SimplifiedNameRule(prefix: "ab", sname: "second")]
        #expect(SimplifiedName.of("abc", rules: rules) == "first")
    }
}
