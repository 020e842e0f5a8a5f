#pragma once
// Reading an Akismet REST API request leniently, as the real service does: any content type,
// any fields, and the API key either in the Host header or in the body. Pure functions; never
// throw.

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace vokter::http {

// Field name -> value, percent-decoded. Values are the raw decoded bytes; see to_utf8().
using AkismetFields = std::map<std::string, std::string, std::less<>>;

// Parses `a=1&b=%C3%A6` whatever the request's Content-Type says: pairs split on '&', names and
// values percent-decoded with '+' as a space. A broken %-escape is kept as written, a repeated
// name keeps its last value, and a pair with an empty name is skipped. Never fails.
AkismetFields parse_akismet_form(std::string_view body);

// The API key a Host header carries as its first label, the form the Akismet clients use:
// "KEY.rest.akismet.com" and "KEY.localhost:8080" -> "key" (lower-cased: host names are
// case-insensitive). Empty for an IP address ("127.0.0.1:8080", "[::1]:8080") and for a single
// label ("localhost:8080").
std::string key_from_host(std::string_view host);

// The charset parameter of a Content-Type value ("…; charset=ISO-8859-1" -> "ISO-8859-1", and
// "charset=utf-8" alone, as the `akismet` npm client sends it); empty when there is none.
std::string charset_parameter(std::string_view content_type);

// The value of `name` in `fields`, or "" when it is absent.
std::string_view field(const AkismetFields& fields, std::string_view name);

}  // namespace vokter::http
