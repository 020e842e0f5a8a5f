#include "app/import/xml_stream.hpp"

namespace vokter::app {

namespace {

std::string_view view(const xmlChar* text) {
    return text ? std::string_view(reinterpret_cast<const char*>(text)) : std::string_view();
}

}  // namespace

XmlStream::XmlStream(std::string path)
    : path_(std::move(path)),
      reader_(xmlReaderForFile(path_.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOBLANKS)) {
    if (reader_) xmlTextReaderSetStructuredErrorHandler(reader_.get(), on_error, &parse_error_);
}

XmlStream::~XmlStream() = default;

void XmlStream::on_error(void* context, xmlError* error) {
    auto* parse_error = static_cast<ParseError*>(context);
    if (parse_error->set || error == nullptr || error->level < XML_ERR_ERROR) return;
    parse_error->set = true;
    std::string message = error->message ? error->message : "malformed XML";
    for (char& ch : message)
        if (ch == '\n') ch = ' ';
    while (!message.empty() && message.back() == ' ')
        message.pop_back();
    parse_error->message = message;
    parse_error->line = error->line;
}

bool XmlStream::next() {
    if (!reader_ || status_ != 1) return false;
    status_ = xmlTextReaderRead(reader_.get());
    return status_ == 1 && !parse_error_.set;
}

std::optional<Error> XmlStream::error() const {
    if (!reader_) return Error{"import_open", "cannot open the file", path_};
    if (parse_error_.set) {
        return Error{"import_xml", parse_error_.message,
                     path_ + ":" + std::to_string(parse_error_.line)};
    }
    if (status_ < 0) return Error{"import_xml", "the file is not well-formed XML", path_};
    return std::nullopt;
}

bool XmlStream::at_start() const {
    return xmlTextReaderNodeType(reader_.get()) == XML_READER_TYPE_ELEMENT;
}

bool XmlStream::at_end() const {
    return xmlTextReaderNodeType(reader_.get()) == XML_READER_TYPE_END_ELEMENT;
}

bool XmlStream::empty_element() const {
    return xmlTextReaderIsEmptyElement(reader_.get()) == 1;
}

int XmlStream::depth() const {
    return xmlTextReaderDepth(reader_.get());
}

std::string_view XmlStream::name() const {
    return view(xmlTextReaderConstLocalName(reader_.get()));
}

std::string_view XmlStream::namespace_uri() const {
    return view(xmlTextReaderConstNamespaceUri(reader_.get()));
}

int XmlStream::line() const {
    return xmlTextReaderGetParserLineNumber(reader_.get());
}

std::string XmlStream::text() {
    xmlChar* value = xmlTextReaderReadString(reader_.get());
    std::string s(view(value));
    xmlFree(value);
    return s;
}

std::string XmlStream::attribute(const char* name, const char* namespace_uri) const {
    xmlChar* value =
        xmlTextReaderGetAttributeNs(reader_.get(), reinterpret_cast<const xmlChar*>(name),
                                    reinterpret_cast<const xmlChar*>(namespace_uri));
    std::string s(view(value));
    xmlFree(value);
    return s;
}

std::optional<Error> XmlPass::walk() {
    bool any_element = false;
    while (!failed() && xml_.next()) {
        if (xml_.at_start()) {
            any_element = true;
            element_start();
            if (xml_.empty_element() && !failed()) element_end();
        } else if (xml_.at_end()) {
            element_end();
        }
    }
    if (failed()) return error_;
    if (auto error = xml_.error()) return error;
    if (!any_element) return Error{"import_format", "the file has no XML element", xml_.path()};
    return std::nullopt;
}

void XmlPass::fail(const char* code, std::string message, std::string_view element) {
    if (failed()) return;
    error_ =
        Error{code, std::move(message),
              xml_.path() + ":" + std::to_string(xml_.line()) + " <" + std::string(element) + ">"};
}

}  // namespace vokter::app
