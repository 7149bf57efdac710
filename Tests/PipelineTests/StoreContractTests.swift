import Foundation
import Store
import Reports
import SeriesAnalysis
import Testing

/// What schedulers and alerting scripts rely on in the store (SPEC §9 v2):
/// read-only access that changes nothing, claims that let several `run`
/// processes share a store, retries of failed and other-model fits, and the
/// upgrade of a store written by an older slowreg.
@Suite("Store contract: read-only access, claims, retries, schema upgrade")
struct StoreContractTests {
    static func storeWithSeries(_ label: String = #function) throws -> (SQLiteStore, URL, Int64) {
        let (store, directory) = try TestSupport.newStore(label)
        let id = try SeriesResultsTests.seriesId(in: store)
        return (store, directory, id)
    }

    static func storeWithSeries(_ backend: StoreBackend, _ label: String = #function) throws -> (SQLStore, Int64) {
        let store = try backend.newStore(label)
        return (store, try SeriesResultsTests.seriesId(in: store))
    }

    static func fileBytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    // MARK: Read-only access

    @Test("a read-only open of a missing store is an error and creates no file")
    func readOnlyMissing() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("typo.sqlite").path
        #expect(throws: StoreError.noStore(path: path)) { try SQLiteStore(path: path, access: .readOnly) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("a read-only store reads everything, refuses every write, and its file is unchanged")
    func readOnlyReadsAndRefusesWrites() throws {
        let (store, directory, id) = try Self.storeWithSeries()
        try store.writeResults(SeriesResultsTests.results(seriesId: id), replace: false)
        let path = directory.appendingPathComponent("store.sqlite").path
        // Checkpoint by closing: a fresh read-write handle is dropped first.
        let before = try Self.fileBytes(path)
        let reader = try SQLiteStore(path: path, access: .readOnly)
        #expect(reader.isReadOnly)
        #expect(try reader.runDates() == ["2020-05-10"])
        #expect(try reader.comparisons(runDate: "2020-05-10").count == 2)
        #expect(try reader.results(runDate: "2020-05-10", seriesId: id) != nil)
        #expect(throws: StoreError.self) { try reader.writeResults(SeriesResultsTests.results(seriesId: id), replace: true) }
        #expect(throws: StoreError.self) { try reader.ingest([]) }
        #expect(try Self.fileBytes(path) == before)
    }

    // MARK: Claims

    static func request(_ runDate: String = "2020-05-10", id: Int64, owner: String, now: Date = Date(),
                        lease: TimeInterval = 600, fit: FitIdentity = FitIdentity(model: "pspline", sampler: "nuts", noise: "student-t"),
                        replace: Bool = false, runStartedAt: Date = .distantFuture) -> ClaimRequest {
        ClaimRequest(runDate: runDate, seriesId: id, owner: owner, now: now, expiresAt: now.addingTimeInterval(lease),
                     fit: fit, replace: replace, runStartedAt: runStartedAt)
    }

    @Test("a claim excludes other owners until it expires or the results are written", arguments: StoreBackend.available)
    func claimsExcludeOthers(backend: StoreBackend) throws {
        let (store, id) = try Self.storeWithSeries(backend)
        let now = Date()
        #expect(try store.claim(Self.request(id: id, owner: "a", now: now)) == .claimed)
        #expect(try store.claim(Self.request(id: id, owner: "b", now: now)) == .claimedElsewhere(owner: "a"))
        #expect(try store.claim(Self.request(id: id, owner: "a", now: now)) == .claimed, "the owner may renew")
        // A killed worker: its claim expires and another takes the series over.
        let later = now.addingTimeInterval(601)
        #expect(try store.claim(Self.request(id: id, owner: "b", now: later)) == .claimed)
        #expect(try store.claim(Self.request(id: id, owner: "a", now: later)) == .claimedElsewhere(owner: "b"))
        // Writing the results frees the claim and makes the series done.
        try store.writeResults(SeriesResultsTests.results(seriesId: id), replace: true)
        #expect(try store.claim(Self.request(id: id, owner: "c", now: later)) == .alreadyStored)
    }

    @Test("a released claim can be taken at once", arguments: StoreBackend.available)
    func releaseClaim(backend: StoreBackend) throws {
        let (store, id) = try Self.storeWithSeries(backend)
        #expect(try store.claim(Self.request(id: id, owner: "a")) == .claimed)
        try store.releaseClaim(runDate: "2020-05-10", seriesId: id, owner: "a")
        #expect(try store.claim(Self.request(id: id, owner: "b")) == .claimed)
    }

    @Test("stored results count as done unless failed, made with another model, sampler or noise, or --replace", arguments: StoreBackend.available)
    func whatCountsAsDone(backend: StoreBackend) throws {
        let same = FitIdentity(model: "pspline", sampler: "nuts", noise: "student-t")
        let (store, id) = try Self.storeWithSeries(backend)
        try store.writeResults(SeriesResultsTests.results(seriesId: id), replace: false)
        #expect(try store.claim(Self.request(id: id, owner: "a", fit: same)) == .alreadyStored)
        for other in [FitIdentity(model: "default", sampler: "nuts", noise: "student-t"),
                      FitIdentity(model: "pspline", sampler: "gibbs", noise: "student-t"),
                      FitIdentity(model: "pspline", sampler: "nuts", noise: "gaussian")] {
            #expect(try store.claim(Self.request(id: id, owner: "b", fit: other)) == .claimed)
        }
        // A failed fit is retried by the next run.
        let (failedStore, _, failedId) = try Self.storeWithSeries("failed")
        try failedStore.writeResults(SeriesResultsTests.results(seriesId: failedId, status: .failed), replace: false)
        #expect(try failedStore.claim(Self.request(id: failedId, owner: "a", fit: same)) == .claimed)
        // --replace refits, except what this very run (another process of it) stored.
        let stored = try #require(try store.storedFit(runDate: "2020-05-10", seriesId: id))
        let created = try #require(stored.createdAt)
        #expect(Self.request(id: id, owner: "x", fit: same, replace: true, runStartedAt: created.addingTimeInterval(1))
            .countsAsDone(stored) == false)
        #expect(Self.request(id: id, owner: "x", fit: same, replace: true, runStartedAt: created)
            .countsAsDone(stored) == true)
        // Results this run made count as done even when failed: fitted once per run.
        var failed = stored
        failed.status = .failed
        #expect(Self.request(id: id, owner: "x", fit: same, runStartedAt: created).countsAsDone(failed))
        #expect(!Self.request(id: id, owner: "x", fit: same, runStartedAt: created.addingTimeInterval(1)).countsAsDone(failed))
    }

    // MARK: Upgrade

    @Test("a store of schema v1 opens read-only as it is, and read-write upgrades keeping its rows")
    func upgradeFromV1() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("old.sqlite").path
        try FileManager.default.copyItem(at: TestSupport.fixtureURL("v1-store", "db"), to: URL(fileURLWithPath: path))
        let before = try Self.fileBytes(path)

        let reader = try SQLiteStore(path: path, access: .readOnly)
        let old = try #require(try reader.comparisons(runDate: "2024-05-06").first)
        #expect(old.row.minChange == nil && old.row.pWorseBeyond == nil && old.row.alert)
        // The rule is judged from the stored paired draws when the stored
        // comparison predates it: change% 2.8…3.2 is beyond 2% in every draw.
        let judged = try StoredComparisons.stored(store: reader, runDate: "2024-05-06", filter: .all)
        #expect(judged.count == 1 && judged[0].p_worse_beyond == 1 && judged[0].alert && judged[0].min_change == 2)
        let strict = try StoredComparisons.stored(store: reader, runDate: "2024-05-06", filter: .all,
                                                  rule: AlertRuleChoice(minimumChange: 2.9))
        #expect(strict[0].p_worse_beyond == 0.75 && !strict[0].alert, "3 of 4 draws beyond 2.9%: below 0.8")
        #expect(try Self.fileBytes(path) == before, "a read-only open upgrades nothing")

        let writer = try SQLiteStore(path: path)
        #expect(try writer.coverage().store_schema_version == StoreSchema.currentVersion)
        #expect(try writer.comparisons(runDate: "2024-05-06").count == 1)
        #expect(try writer.claim(Self.request("2024-05-06", id: 1, owner: "a",
                                              fit: FitIdentity(model: "spline-gaussian", sampler: "gibbs", noise: "gaussian")))
                == .alreadyStored)
    }

    // MARK: Diagnose output

    @Test("diagnose JSON of a store with data encodes its Int64 ids; CSV has one row per run date")
    func diagnoseOutputs() throws {
        let (store, _, id) = try Self.storeWithSeries()
        try store.writeResults(SeriesResultsTests.results(seriesId: id), replace: false)
        let health = StoreHealth(try store.coverage())
        let json = try health.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schema_version"] as? Int == 1)
        let coverage = try #require(object["coverage"] as? [String: Any])
        let series = try #require(coverage["series"] as? [[String: Any]])
        #expect(series.first?["series_id"] as? Int == Int(id))
        #expect(health.csv() == "run_date,model_input,intervals,draws,comparisons,diagnostics,good,flagged,failed\n"
                + "2020-05-10,1,1,1,1,1,1,0,0\n")
    }
}
