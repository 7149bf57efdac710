import Foundation
import Store
import Testing

@Suite("StoreTime: the store's text forms of instants and days")
struct StoreTimeTests {
    @Test("instants are fixed-width UTC text with milliseconds")
    func instantText() {
        #expect(StoreTime.instantText(Date(timeIntervalSince1970: 1_684_750_825)) == "2023-05-22T10:20:25.000Z")
        #expect(StoreTime.instantText(Date(timeIntervalSince1970: 1_684_750_825.1234)) == "2023-05-22T10:20:25.123Z")
        #expect(StoreTime.instantText(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }

    @Test("instant text reads back to the same millisecond")
    func roundTrip() throws {
        for seconds in [0.0, 1_684_750_825.001, 1_700_000_000.999, -86_400.25] {
            let back = try #require(StoreTime.instant(StoreTime.instantText(Date(timeIntervalSince1970: seconds))))
            #expect(abs(back.timeIntervalSince1970 - seconds) < 0.0005 + 1e-9)
        }
    }

    @Test("text order is time order")
    func textOrder() {
        let times = [-1000.5, 0, 0.001, 59.999, 1_684_750_825, 1_684_750_825.5, 4_000_000_000].map(Date.init(timeIntervalSince1970:))
        let texts = times.map(StoreTime.instantText)
        #expect(texts == texts.sorted())
    }

    @Test("days")
    func days() {
        #expect(StoreTime.dayText(Date(timeIntervalSince1970: 1_684_750_825)) == "2023-05-22")
        #expect(StoreTime.dayText(Date(timeIntervalSince1970: -1)) == "1969-12-31")
        #expect(StoreTime.daysSinceEpoch(dayText: "2023-05-22") == 19_499)
        #expect(StoreTime.isDayText("2024-02-29"))
        for bad in ["2023-02-29", "2023-5-22", "20230522", "2023-05-22T00:00:00", "", "abcd-ef-gh"] {
            #expect(!StoreTime.isDayText(bad))
        }
    }
}
