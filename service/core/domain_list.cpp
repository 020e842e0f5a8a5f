#include "core/domain_list.hpp"

namespace vokter::core {

namespace {

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

}  // namespace

DomainList DomainList::parse(std::string_view text) {
    DomainList list;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        if (const auto hash = line.find('#'); hash != std::string_view::npos)
            line = line.substr(0, hash);
        line = trim(line);
        while (!line.empty() && line.front() == '.')
            line.remove_prefix(1);  // ".example.com"
        while (!line.empty() && line.back() == '.')
            line.remove_suffix(1);
        if (line.empty() || line.find_first_of(" \t/@") != std::string_view::npos) continue;
        list.domains_.insert(lower_ascii(line));
    }
    return list;
}

bool DomainList::contains(std::string_view host) const {
    if (domains_.empty()) return false;
    while (!host.empty() && host.back() == '.')
        host.remove_suffix(1);
    std::string lowered = lower_ascii(host);
    std::string_view rest = lowered;
    while (!rest.empty()) {
        if (domains_.count(std::string(rest)) != 0) return true;
        const auto dot = rest.find('.');
        if (dot == std::string_view::npos) break;
        rest.remove_prefix(dot + 1);
    }
    return false;
}

}  // namespace vokter::core
