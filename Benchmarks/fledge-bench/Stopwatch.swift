import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wall time of an interval plus how many cores *other* processes kept busy meanwhile
/// (`foreign_cores`, as `../shared/peers/peer_timing.py` measures it): the machine is shared,
/// and a measurement with foreign load above ~0.25 cores should be repeated.
struct Stopwatch {
    private let startWall: UInt64
    private let startOwn: Double
    private let startBusy: Double?

    init() {
        startWall = DispatchTime.now().uptimeNanoseconds
        startOwn = Self.ownCPUSeconds()
        startBusy = Self.systemBusySeconds()
    }

    /// Seconds since the stopwatch started.
    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - startWall) / 1e9 }

    /// CPU seconds this process (all its threads) used since the start.
    var cpuSeconds: Double { Self.ownCPUSeconds() - startOwn }

    /// Cores used by other processes since the start (0 when /proc/stat is unavailable).
    var foreignCores: Double {
        guard let startBusy, let busy = Self.systemBusySeconds() else { return 0 }
        let wall = elapsed
        let own = Self.ownCPUSeconds() - startOwn
        return wall > 0 ? Swift.max(0, (busy - startBusy - own) / wall) : 0
    }

    private static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    private static func systemBusySeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 7 else { return nil }
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + (fields.count > 7 ? fields[7] : 0)
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
