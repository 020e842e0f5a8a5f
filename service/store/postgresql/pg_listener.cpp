#include "store/postgresql/pg_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>

#include <chrono>

#include "store/postgresql/pg_connection.hpp"

namespace vokter::store {

PgListener::PgListener(std::string conninfo, std::string channel,
                       std::function<void(const std::string& payload)> on_notify,
                       std::function<void()> on_gap)
    : conninfo_(std::move(conninfo)),
      channel_(std::move(channel)),
      on_notify_(std::move(on_notify)),
      on_gap_(std::move(on_gap)),
      thread_([this] { loop(); }) {}

PgListener::~PgListener() {
    stopping_ = true;
    thread_.join();
}

void PgListener::loop() {
    pthread_setname_np(pthread_self(), "vokter-listen");
    bool lost = false;  // a session was open before: notifications may have been missed
    while (!stopping_) {
        PGconn* conn = connect_to(conninfo_);
        PGresult* listen = nullptr;
        if (PQstatus(conn) == CONNECTION_OK) {
            PQsetNoticeProcessor(
                conn, [](void*, const char*) {}, nullptr);
            listen = PQexec(conn, ("LISTEN " + channel_).c_str());
        }
        if (!listen || PQresultStatus(listen) != PGRES_COMMAND_OK) {
            PQclear(listen);
            PQfinish(conn);
            for (int i = 0; i < 5 && !stopping_; ++i)  // again in a second
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
            continue;
        }
        PQclear(listen);
        listening_ = true;
        if (lost && on_gap_) on_gap_();
        while (!stopping_) {
            pollfd fd{PQsocket(conn), POLLIN, 0};
            if (::poll(&fd, 1, 200) < 0) continue;
            if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) break;
            while (PGnotify* notify = PQnotifies(conn)) {
                const std::string payload = notify->extra ? notify->extra : "";
                PQfreemem(notify);
                if (on_notify_) on_notify_(payload);
            }
        }
        listening_ = false;
        lost = true;
        PQfinish(conn);
    }
}

}  // namespace vokter::store
