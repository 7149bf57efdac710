import Ingest
import Testing

@Suite("OperatingSystem: OS from platform (SPEC §3)")
struct OperatingSystemTests {
    let rules = SelectionConfig.releaseCriteria.osFromPlatform

    @Test("release-criteria platforms and the bundled data", arguments: [
        ("linux64-shippable", "linux"), ("linux1804-64-shippable-qr", "linux"),
        ("macosx1014-64-shippable", "osx"), ("macosx1015-64-shippable-qr", "osx"),
        ("windows7-32-shippable", "windows7"), ("windows10-64-shippable", "windows10"),
        ("android-hw-g5-7-0-arm7-api-16-shippable", "android"), ("android-hw-p2-8-0-android-aarch64-shippable", "android"),
        ("windows11-64-shippable", ""), ("freebsd", ""),
    ])
    func platforms(platform: String, os: String) {
        #expect(OperatingSystem.of(platform: platform, rules: rules) == os)
    }
}
