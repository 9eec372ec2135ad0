import FledgeEvents
import FledgeTrain
import Testing

/// pretrain.yaml: defaults, the example configs, and clear errors for bad or missing keys.
struct PretrainConfigTests {
    static let sources = """
        data_sources:
          - {type: event, path: events.csv, main_entity_column: user_id, date_column: timestamp}
        """

    func error(_ yaml: String) -> String {
        do {
            _ = try PretrainConfig.load(yaml: yaml)
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    @Test func theExampleConfigsLoadWithTheirSections() throws {
        let shop = try PretrainConfig.load(path: "Examples/configs/foundation-pretrain.yaml")
        #expect(shop.representation.itemColumn == "product_id" && shop.foundation.hiddenLayers == [512, 512])
        let clicks = try PretrainConfig.load(path: "Examples/configs/foundation-pretrain-clickstream.yaml",
                                             overrides: ["foundation.hidden_layers=[64]"])
        #expect(clicks.foundation.hiddenLayers == [64] && clicks.representation.itemColumn == "event")
        #expect(clicks.eventsConfig.dataSources == clicks.dataSources)
        let defaults = try PretrainConfig.load(yaml: Self.sources + "\ndata_params: {validation_start_date: 2024-05-01}")
        #expect(defaults.foundation == FoundationParams() && defaults.representation == RepresentationParams())
    }

    @Test func thePiecewiseLinearEncodingAndTheItemHistoryTermAreRefused() {
        let encoding = error(Self.sources + "\ndata_params: {validation_start_date: 2024-05-01, numeric_encoding: piecewise_linear}")
        #expect(encoding.contains("data_params.numeric_encoding") && encoding.contains("must be standard for a foundation model"),
                "\(encoding)")
        let term = error(Self.sources + "\ndata_params: {validation_start_date: 2024-05-01, item_history_term: true}")
        #expect(term.contains("data_params.item_history_term") && term.contains("not a foundation model"), "\(term)")
    }

    @Test func unknownKeysAreNamedWithASuggestion() {
        let typo = error(Self.sources + "\ndata_params: {validation_start_date: 2024-05-01}\nfoundation: {hiden_layers: [8]}")
        #expect(typo.contains("foundation.hiden_layers is not a known key; did you mean foundation.hidden_layers?"), "\(typo)")
        let target = error(Self.sources + "\ndata_params: {validation_start_date: 2024-05-01}\ntarget: {type: churn}")
        #expect(target.contains("target is not a known key"), "\(target)")
    }

    @Test func missingSectionsAndBadValuesSayWhatToDo() {
        #expect(error("data_params: {validation_start_date: 2024-05-01}").contains("data_sources is required"))
        #expect(error(Self.sources).contains("data_params is required"))
        #expect(error(Self.sources + "\ndata_params: {test_start_date: 2024-05-01}")
            .contains("data_params.validation_start_date is required to pretrain"))
        let base = Self.sources + "\ndata_params: {validation_start_date: 2024-05-01}\n"
        #expect(error(base + "foundation: {hidden_layers: []}").contains("foundation.hidden_layers: is empty"))
        #expect(error(base + "foundation: {dropout: 1.5}").contains("foundation.dropout: is 1.5"))
        #expect(error(base + "foundation: {activation: swish}").contains("foundation.activation: 'swish' is not one of"))
        #expect(error(base + "representation: {sketch_buckets: 12}").contains("representation.sketch_buckets"))
        #expect(error(base + "training: {metrics: [auroc]}").contains("training.metrics: pretraining reports its own metrics"))
    }
}
