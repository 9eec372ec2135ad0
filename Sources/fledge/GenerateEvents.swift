import ArgumentParser
import FledgeEvents
import Foundation

/// `fledge generate-events`: writes a seeded synthetic shop (events.csv, customers.csv, products.csv).
struct GenerateEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-events",
        abstract: "Write a seeded synthetic shop: events.csv, customers.csv and products.csv (see docs/event-generator.md).")

    @Option(help: "Customers to simulate.") var customers = 1_000
    @Option(help: "Days to simulate.") var days = 365
    @Option(help: "First simulated day, yyyy-MM-dd.") var startDate = "2023-01-01"
    @Option(help: "Random seed; the same seed writes the same files.") var seed: UInt64 = 0
    @Option(help: "Product categories (1-16).") var categories = 12
    @Option(help: "Products per category.") var productsPerCategory = 40
    @Option(help: "Output directory (created if needed).") var out: String

    func run() throws {
        var config = ShopGeneratorConfig(customers: customers, days: days, startDate: startDate, seed: seed)
        config.categories = categories
        config.productsPerCategory = productsPerCategory
        let started = Date()
        let generator = try ShopEventGenerator(config: config)
        let summary = try generator.write(to: URL(fileURLWithPath: out))
        let seconds = Date().timeIntervalSince(started)
        let types = ShopEvent.Kind.allCases.map { "\($0.rawValue) \(summary.eventsByType[$0.rawValue] ?? 0)" }
        print("wrote \(summary.events) events (\(types.joined(separator: ", "))), \(summary.customers) customers, "
              + "\(summary.products) products to \(out) in \(String(format: "%.2f", seconds)) s")
    }
}
