#pragma once
// libxml2's streaming reader over one export file, as the XML importers use it: one node at a
// time (memory stays bounded whatever the file's size), nothing fetched from the network, no
// entities loaded from outside the file, and the first error libxml2 reports kept with its line.

#include <libxml/xmlreader.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace vokter::app {

class XmlStream {
  public:
    explicit XmlStream(std::string path);
    ~XmlStream();
    XmlStream(const XmlStream&) = delete;
    XmlStream& operator=(const XmlStream&) = delete;

    // Moves to the next node: false at the end of the file or on an error (then error()).
    bool next();
    // The error that stopped next(): the file cannot be opened ("import_open") or is not
    // well-formed XML ("import_xml", at path:line); nullopt at a clean end.
    std::optional<Error> error() const;

    bool at_start() const;       // on an element's start tag
    bool at_end() const;         // on an element's end tag (an empty element <a/> has none)
    bool empty_element() const;  // the start tag is the whole element
    int depth() const;
    std::string_view name() const;  // local name, without the prefix
    std::string_view namespace_uri() const;
    int line() const;
    const std::string& path() const { return path_; }

    // The current element's text, CDATA included, entities decoded; the reader stays on it.
    std::string text();
    // An attribute of the current element; empty when it has none of that name.
    std::string attribute(const char* name, const char* namespace_uri) const;

  private:
    struct Deleter {
        void operator()(xmlTextReader* reader) const { xmlFreeTextReader(reader); }
    };
    struct ParseError {
        bool set = false;
        std::string message;
        int line = 0;
    };
    static void on_error(void* context, xmlError* error);

    std::string path_;
    std::unique_ptr<xmlTextReader, Deleter> reader_;
    ParseError parse_error_;
    int status_ = 1;
};

// One pass of an XML reader over its export: element_start() and element_end() for every element
// in document order (an empty element <a/> gets both), on xml_ as it stands there, until the first
// fail(). walk() then gives that failure, else the XML's own error, else nullopt.
class XmlPass {
  public:
    explicit XmlPass(const std::string& path) : xml_(path) {}
    virtual ~XmlPass() = default;
    XmlPass(const XmlPass&) = delete;
    XmlPass& operator=(const XmlPass&) = delete;

  protected:
    std::optional<Error> walk();
    virtual void element_start() = 0;
    virtual void element_end() = 0;

    bool failed() const { return error_.has_value(); }
    // Stops the pass with an error at the current line, naming `element`; the first one stays.
    void fail(const char* code, std::string message, std::string_view element);

    XmlStream xml_;

  private:
    std::optional<Error> error_;
};

}  // namespace vokter::app
