// evaluate() with the embedded default rules and a small learned model on arbitrary
// submissions: every field from the input, the stored facts from its first bytes. It never
// fails, and the score is the sum of the hits, each of them finite.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/classifier/features.hpp"
#include "core/classifier/model.hpp"
#include "core/default_rules.hpp"
#include "core/evaluate.hpp"
#include "fuzz/fuzz_input.hpp"

namespace core = vokter::core;

namespace {

struct Fixture {
    core::RulesetPtr rules;
    core::LiveModel model;

    Fixture() {
        auto loaded = core::load_default_ruleset();
        if (!loaded) __builtin_trap();
        rules = loaded.value();
        core::TrainingDelta delta;
        const auto learn = [&](const char* body, const char* website, core::Label label) {
            core::Submission s;
            s.thread = "/innlegg";
            s.name = label == core::Label::spam ? "Cheap Pills" : "Kari";
            s.website = website;
            s.body = body;
            for (int i = 0; i < 30; ++i)
                delta.add(core::extract_features(s).hashes(), label, +1);
        };
        learn("Takk for et godt innlegg, dette hjalp meg med hagen i år.", "", core::Label::ham);
        learn("Jeg er uenig i punkt to, men resten er bra skrevet. Blåbær!", "", core::Label::ham);
        learn("Buy cheap viagra online, best casino bonus, click here now", "https://spam.example",
              core::Label::spam);
        learn("Great post! Visit my site for SEO backlinks and crypto profits",
              "https://seo.example", core::Label::spam);
        model.apply(delta);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Fixture fixture;
    if (size < 4) return 0;
    core::Context context;
    context.same_ip_recent = data[0] % 16;
    context.same_email_recent = data[1] % 16;
    context.duplicate_body = data[2] & 1;
    context.author_approved = data[3] % 8;
    if (data[2] & 2) context.form_rendered_at = 1767225600 - (data[3] % 64);
    if (data[2] & 4) context.classifier = fixture.model.current();

    vokter::fuzz::FuzzInput input(data + 4, size - 4);
    core::Submission s;
    s.thread = std::string(input.next());
    s.title = std::string(input.next());
    s.name = std::string(input.next());
    s.email = std::string(input.next());
    s.website = std::string(input.next());
    s.ip = std::string(input.next());
    s.user_agent = std::string(input.next());
    s.referrer = std::string(input.next());
    s.honeypot = std::string(input.next());
    s.body = std::string(input.rest());

    const core::Verdict verdict = core::evaluate(*fixture.rules, s, context, 1767225600);
    FUZZ_CHECK(std::isfinite(verdict.score));
    double sum = 0;
    for (const core::Hit& hit : verdict.hits) {
        FUZZ_CHECK(std::isfinite(hit.score));
        FUZZ_CHECK(!hit.rule.empty());
        sum += hit.score;
    }
    FUZZ_CHECK(std::fabs(sum - verdict.score) < 1e-6 * (1 + std::fabs(sum)));
    return 0;
}
