import Foundation
import Testing

/// `<run>/report.html` in a real browser: headless Chromium (Debian package `chromium`, which
/// scripts/setup.sh installs) loads the page written by `fledge train` and must show every section
/// without a console error or a failed resource load. Skips with a message where Chromium is absent.
@Suite struct ReportPageTests {
    /// What Chromium printed for one page.
    struct BrowserRun {
        var status: Int32
        var dom: String
        var stderr: String

        /// Lines of Chromium's log that report a problem with the page: console messages (script
        /// errors, CSP violations), uncaught exceptions, loads the page was refused.
        var pageErrors: [String] {
            stderr.split(whereSeparator: \.isNewline).map(String.init).filter { line in
                ["CONSOLE", "Uncaught", "Not allowed to load"].contains { line.contains($0) }
            }
        }

        /// Every file the page made Chromium open (the page itself first); Chromium does not log
        /// a failed file load at --v=0, but it logs each start with the loader's verbose logging.
        var loadedFiles: [String] {
            stderr.split(whereSeparator: \.isNewline).compactMap { line in
                line.range(of: "FileURLLoader::Start: ").map { String(line[$0.upperBound...]) }
            }
        }
    }

    static let browser: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `chromium --headless --dump-dom file://<page>` with console logging on stderr.
    /// --no-sandbox: Chromium refuses to run as root without it (CI runs as root).
    static func load(_ page: URL, browser: String) throws -> BrowserRun {
        let scratch = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0",
                             "--vmodule=file_url_loader_factory=1",
                             "--user-data-dir=\(scratch.path("profile"))", "--dump-dom", page.absoluteString]
        let outURL = scratch.url.appendingPathComponent("dom"), errURL = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return BrowserRun(status: process.terminationStatus, dom: try String(contentsOf: outURL, encoding: .utf8),
                          stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    @Test func reportPageLoadsInChromiumWithEverySection() throws {
        guard let browser = Self.browser else {
            print("SKIPPED reportPageLoadsInChromiumWithEverySection: no chromium (apt-get install chromium, as scripts/setup.sh does)")
            return
        }
        let run = try TrainedRun.runDirectory()
        let page = run.appendingPathComponent("report.html")
        let loaded = try Self.load(page, browser: browser)
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.pageErrors.isEmpty, "\(loaded.pageErrors)")
        #expect(loaded.loadedFiles == [page.absoluteString], "the page loads other files: \(loaded.loadedFiles)")
        for section in ["summary", "diagnosis", "metrics", "curves", "confusion", "data", "config", "environment"] {
            #expect(loaded.dom.contains("id=\"\(section)\""), "section \(section) missing from the rendered DOM")
        }
        #expect(loaded.dom.components(separatedBy: "<svg").count - 1 >= 3, "the learning curves are not inline SVG")
        #expect(loaded.dom.contains("<polyline"))
        #expect(loaded.dom.contains("Diagnosis"))
        // Self-contained: nothing in the page points outside it.
        let html = try String(contentsOf: page, encoding: .utf8)
        for reference in ["<script", "<link", "<img", "src=", "href=", "url(", "@import"] {
            #expect(!html.contains(reference), "report.html refers to an outside resource (\(reference))")
        }
    }

    @Test func theBrowserCheckCatchesBrokenPages() throws {
        guard let browser = Self.browser else {
            print("SKIPPED theBrowserCheckCatchesBrokenPages: no chromium")
            return
        }
        // A control: the same check must see a script error and a missing image.
        let directory = try TemporaryDirectory()
        let page = URL(fileURLWithPath: try directory.write("broken.html", """
            <!DOCTYPE html><html><body><img src="missing.png"/>
            <script>console.error("boom"); undefinedFunction();</script></body></html>
            """))
        let loaded = try Self.load(page, browser: browser)
        #expect(loaded.pageErrors.contains { $0.contains("boom") }, "\(loaded.stderr)")
        #expect(loaded.pageErrors.contains { $0.contains("Uncaught") }, "\(loaded.stderr)")
        #expect(loaded.loadedFiles.count == 2 && loaded.loadedFiles.last?.hasSuffix("/missing.png") == true, "\(loaded.stderr)")
    }

    @Test func reportRebuildsTheSamePageFromTheRunDirectory() throws {
        let run = try TrainedRun.runDirectory()
        let copy = try TemporaryDirectory()
        let moved = copy.url.appendingPathComponent("shared")
        // Copy what the page is built from (other tests rewrite files in the shared run meanwhile);
        // the checkpoint names tell which step is best.
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: moved.appendingPathComponent("checkpoints"), withIntermediateDirectories: true)
        for name in ["config.yaml", "metrics.jsonl", "baseline.json", "summary.json", "report.html"] {
            try fileManager.copyItem(at: run.appendingPathComponent(name), to: moved.appendingPathComponent(name))
        }
        for name in try fileManager.contentsOfDirectory(atPath: run.appendingPathComponent("checkpoints").path) where !name.hasPrefix(".") {
            try fileManager.createDirectory(at: moved.appendingPathComponent("checkpoints").appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let page = moved.appendingPathComponent("report.html")
        let written = try String(contentsOf: page, encoding: .utf8)
        try FileManager.default.removeItem(at: page)
        let output = try FledgeProcess.run(["report", moved.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("report: \(page.path)"))
        // Only the run's path (shown on the page) differs from the page training wrote.
        let rebuilt = try String(contentsOf: page, encoding: .utf8)
        #expect(rebuilt == written.replacingOccurrences(of: run.path, with: moved.path))
        #expect(rebuilt.contains("id=\"confusion\""))
    }
}
