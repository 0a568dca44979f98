// strftime.cpp: strftime_now() formatting in the C locale (independent of the process locale the app sets).
#include <cstdio>
#include <ctime>
#include <string>

namespace ponder::chat::jinja {

std::string format_time(const std::string& fmt, const std::tm& t) {
    static const char* const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
    static const char* const days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    const int mon = t.tm_mon >= 0 && t.tm_mon < 12 ? t.tm_mon : 0;
    const int wday = t.tm_wday >= 0 && t.tm_wday < 7 ? t.tm_wday : 0;
    std::string out;
    for (std::size_t k = 0; k < fmt.size(); ++k) {
        if (fmt[k] != '%' || k + 1 >= fmt.size()) {
            out += fmt[k];
            continue;
        }
        char c = fmt[++k];
        bool pad = true;  // glibc's "%-d" drops the padding
        if (c == '-' && k + 1 < fmt.size()) {
            pad = false;
            c = fmt[++k];
        }
        auto num = [&](int v, int width) {
            char buf[16];
            if (pad)
                std::snprintf(buf, sizeof buf, "%0*d", width, v);
            else
                std::snprintf(buf, sizeof buf, "%d", v);
            out += buf;
        };
        switch (c) {
        case 'Y': num(t.tm_year + 1900, 1); break;
        case 'y': num((t.tm_year + 1900) % 100, 2); break;
        case 'm': num(t.tm_mon + 1, 2); break;
        case 'd': num(t.tm_mday, 2); break;
        case 'e': {
            char buf[8];
            std::snprintf(buf, sizeof buf, pad ? "%2d" : "%d", t.tm_mday);
            out += buf;
            break;
        }
        case 'H': num(t.tm_hour, 2); break;
        case 'I': num(t.tm_hour % 12 == 0 ? 12 : t.tm_hour % 12, 2); break;
        case 'M': num(t.tm_min, 2); break;
        case 'S': num(t.tm_sec, 2); break;
        case 'j': num(t.tm_yday + 1, 3); break;
        case 'p': out += t.tm_hour < 12 ? "AM" : "PM"; break;
        case 'B': out += months[mon]; break;
        case 'b':
        case 'h': out += std::string(months[mon]).substr(0, 3); break;
        case 'A': out += days[wday]; break;
        case 'a': out += std::string(days[wday]).substr(0, 3); break;
        case 'F': {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
            out += buf;
            break;
        }
        case '%': out += '%'; break;
        default: out += '%'; out += c;
        }
    }
    return out;
}

}  // namespace ponder::chat::jinja
