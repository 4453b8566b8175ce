// Private to the okta_log reader: the per (user, app) tally of successful SSO events. Each
// reading thread keeps its own Tally; they are merged in file order at the end, which gives the
// same result as one pass over the whole file.
//
// The hot path is one add() per counted event, so strings are interned once per distinct user
// and app (there are thousands, against millions of events) into small open-addressing tables,
// and pairs are keyed by the two 32-bit indexes in a flat table. In front of those sits a cache
// keyed by both strings whose entries hold the keys inline: an event usually costs two hashes of
// short strings, one probe and two cache lines (the entry and the stats), and allocates nothing
// once the people and apps are known. Cache misses are what this code is about: the log streams
// through the caches, so each lookup waits for memory; events are therefore queued in batches of
// 16 whose lookups prefetch step by step (flush()), so those waits overlap.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "stackaudit/core/model.hpp"
#include "stackaudit/core/strings.hpp"

namespace stackaudit::connectors::okta_log {

// A fast 64-bit hash for short identifiers (8 bytes per step, multiply-xorshift mixing). Not
// meant to resist crafted collisions: a colliding log only makes probing slower, never wrong.
[[nodiscard]] inline std::uint64_t hash_text(std::string_view text) noexcept {
    std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (text.size() * 0xFF51AFD7ED558CCDULL);
    const char* p = text.data();
    std::size_t n = text.size();
    for (; n >= 8; n -= 8, p += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, 8);
        h = (h ^ word) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    h = (h ^ tail) * 0x94D049BB133111EBULL;
    return h ^ (h >> 29);
}

// Numbers distinct strings in order of first sight.
class Interner {
public:
    static constexpr std::uint32_t k_none = 0xFFFFFFFFu;

    // The index of `key`, or k_none.
    [[nodiscard]] std::uint32_t find(std::string_view key, std::uint64_t hash) const noexcept {
        if (m_slots.empty()) {
            return k_none;
        }
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            const Slot& slot = m_slots[i];
            if (slot.index == k_none) {
                return k_none;
            }
            if (slot.hash == hash && m_keys[slot.index] == key) {
                return slot.index;
            }
        }
    }

    // Adds a key that find() did not find; returns its index.
    std::uint32_t insert(std::string_view key, std::uint64_t hash) {
        if ((m_keys.size() + 1) * 2 > m_slots.size()) {
            grow();
        }
        const auto index = static_cast<std::uint32_t>(m_keys.size());
        m_keys.emplace_back(key);
        place(hash, index);
        return index;
    }

    [[nodiscard]] std::size_t size() const noexcept { return m_keys.size(); }
    [[nodiscard]] const std::string& key(std::uint32_t index) const noexcept { return m_keys[index]; }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t index = k_none;
    };

    void place(std::uint64_t hash, std::uint32_t index) noexcept {
        const std::size_t mask = m_slots.size() - 1;
        std::size_t i = hash & mask;
        while (m_slots[i].index != k_none) {
            i = (i + 1) & mask;
        }
        m_slots[i] = Slot{hash, index};
    }

    void grow() {
        std::vector<Slot> old = std::move(m_slots);
        m_slots.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
        for (const Slot& slot : old) {
            if (slot.index != k_none) {
                place(slot.hash, slot.index);
            }
        }
    }

    std::vector<Slot> m_slots;  // a power of two, at most half full
    std::vector<std::string> m_keys;
};

struct PairStats {
    std::int64_t first = 0;
    std::int64_t last = 0;
    std::uint64_t events = 0;
    std::uint64_t in_window = 0;
};

// What the log says about users and apps, per (user, app).
class Tally {
public:
    Tally(std::int64_t as_of, std::int64_t window_start) : m_as_of(as_of), m_window_start(window_start) {
        m_queue_text.reserve(k_queue * k_max_queued_text);
    }

    [[nodiscard]] std::int64_t as_of() const noexcept { return m_as_of; }
    [[nodiscard]] std::int64_t window_start() const noexcept { return m_window_start; }
    [[nodiscard]] bool empty() const noexcept { return m_users.empty() && m_apps.empty() && m_queued == 0; }

    // One successful SSO event. A user is known by actor.id, or by actor.alternateId when the id
    // is missing; the first non-empty login, app label and name seen are kept. Events are queued
    // and applied in order by flush(), which every reader of the result calls first.
    void add(std::string_view user_id, std::string_view login, std::string_view app_id, std::string_view label,
             std::string_view name, std::int64_t published) {
        const std::string_view user_key = user_id.empty() ? login : user_id;
        const std::size_t text = user_id.size() + login.size() + app_id.size() + label.size() + name.size();
        if (user_key.size() + app_id.size() > k_inline_keys || text > k_max_queued_text) {
            flush();
            apply(user_id, login, app_id, label, name, published, pair_hash(user_key, app_id));
            return;
        }
        if (m_queue_text.size() + text > m_queue_text.capacity()) {
            flush();
        }
        Queued& queued = m_queue[m_queued++];
        queued.hash = pair_hash(user_key, app_id);
        queued.published = published;
        queued.at = static_cast<std::uint32_t>(m_queue_text.size());
        std::size_t part = 0;
        for (const std::string_view piece : {user_id, login, app_id, label, name}) {
            queued.sizes[part++] = static_cast<std::uint16_t>(piece.size());
            m_queue_text.append(piece);
        }
        if (!m_cache_slots.empty()) {
            __builtin_prefetch(&m_cache_slots[queued.hash & (m_cache_slots.size() - 1)]);
        }
        if (m_queued == k_queue) {
            flush();
        }
    }

    // Applies the queued events. The queue exists to overlap cache misses: the lookups of a
    // batch of events proceed in steps (slot, cached entry, stats), each step prefetching what
    // the next needs for every event of the batch, so the waits for memory overlap instead of
    // following one another. The events are still applied one by one, in order.
    void flush() {
        if (m_queued == 0) {
            return;
        }
        std::array<std::uint32_t, k_queue> entries{};
        for (std::size_t k = 0; k < m_queued; ++k) {
            entries[k] = find_cached(m_queue[k].hash);
            if (entries[k] != Interner::k_none) {
                __builtin_prefetch(&m_cache[entries[k]]);
            }
        }
        for (std::size_t k = 0; k < m_queued; ++k) {
            if (entries[k] != Interner::k_none) {
                __builtin_prefetch(&m_pairs[m_cache[entries[k]].pair]);
            }
        }
        for (std::size_t k = 0; k < m_queued; ++k) {
            const Queued& queued = m_queue[k];
            std::array<std::string_view, 5> pieces;
            std::size_t at = queued.at;
            for (std::size_t part = 0; part < pieces.size(); ++part) {
                pieces[part] = std::string_view(m_queue_text).substr(at, queued.sizes[part]);
                at += queued.sizes[part];
            }
            apply(pieces[0], pieces[1], pieces[2], pieces[3], pieces[4], queued.published, queued.hash);
        }
        m_queued = 0;
        m_queue_text.clear();
    }

    // Folds `later` (the tally of a later part of the input) into this one, as if its events had
    // been added here in order.
    void merge(Tally& later) {
        flush();
        later.flush();
        std::vector<std::uint32_t> users(later.m_users.size());
        for (std::size_t i = 0; i < later.m_users.size(); ++i) {
            const UserEntry& user = later.m_users[i];
            users[i] = user_index(later.m_user_keys.key(static_cast<std::uint32_t>(i)), user.id, user.login, true);
        }
        std::vector<std::uint32_t> apps(later.m_apps.size());
        for (std::size_t i = 0; i < later.m_apps.size(); ++i) {
            const AppEntry& app = later.m_apps[i];
            apps[i] = app_index(later.m_app_keys.key(static_cast<std::uint32_t>(i)), app.label, app.name);
        }
        for (std::size_t i = 0; i < later.m_pair_keys.size(); ++i) {
            const std::uint64_t key = later.m_pair_keys[i];
            add_stats(pair_index(users[key >> 32], apps[key & 0xFFFFFFFFu]), later.m_pairs[i]);
        }
    }

    // Usage rows sorted by (app_label, user_login), ties broken by every other field so the
    // order never depends on the order events were seen in. Apps and users are ranked by label
    // and login first (thousands of strings), so the sort of the pairs (up to millions) compares
    // integers and looks at the strings only where two ranks are equal.
    [[nodiscard]] std::vector<Usage> take_usage() {
        flush();
        const auto ranks = [](std::size_t count, const auto& text) {
            std::vector<std::uint32_t> order(count);
            for (std::size_t i = 0; i < count; ++i) {
                order[i] = static_cast<std::uint32_t>(i);
            }
            std::sort(order.begin(), order.end(), [&text](std::uint32_t a, std::uint32_t b) { return text(a) < text(b); });
            std::vector<std::uint32_t> rank(count);
            std::uint32_t current = 0;
            for (std::size_t i = 0; i < count; ++i) {
                if (i > 0 && text(order[i - 1]) != text(order[i])) {
                    ++current;
                }
                rank[order[i]] = current;  // equal texts share a rank
            }
            return rank;
        };
        const std::vector<std::uint32_t> app_rank =
            ranks(m_apps.size(), [this](std::uint32_t i) -> const std::string& { return m_apps[i].label; });
        const std::vector<std::uint32_t> user_rank =
            ranks(m_users.size(), [this](std::uint32_t i) -> const std::string& { return m_users[i].login; });

        std::vector<std::uint32_t> order(m_pairs.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = static_cast<std::uint32_t>(i);
        }
        const auto fields = [this](std::uint32_t i) {
            const std::uint64_t key = m_pair_keys[i];
            const UserEntry& user = m_users[static_cast<std::size_t>(key >> 32)];
            const auto app_index = static_cast<std::uint32_t>(key & 0xFFFFFFFFu);
            const AppEntry& app = m_apps[app_index];
            const PairStats& stats = m_pairs[i];
            return std::tie(app.label, user.login, m_app_keys.key(app_index), user.id, app.name, stats.first, stats.last,
                            stats.events, stats.in_window);
        };
        std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            const std::uint64_t ka = m_pair_keys[a];
            const std::uint64_t kb = m_pair_keys[b];
            const auto ra = std::pair{app_rank[ka & 0xFFFFFFFFu], user_rank[ka >> 32]};
            const auto rb = std::pair{app_rank[kb & 0xFFFFFFFFu], user_rank[kb >> 32]};
            if (ra != rb) {
                return ra < rb;
            }
            return fields(a) < fields(b);
        });
        std::vector<Usage> usage;
        usage.reserve(order.size());
        for (const std::uint32_t i : order) {
            const std::uint64_t key = m_pair_keys[i];
            const UserEntry& user = m_users[static_cast<std::size_t>(key >> 32)];
            const AppEntry& app = m_apps[static_cast<std::size_t>(key & 0xFFFFFFFFu)];
            const PairStats& stats = m_pairs[i];
            Usage row;
            row.app_id = m_app_keys.key(static_cast<std::uint32_t>(key & 0xFFFFFFFFu));
            row.app_label = app.label;
            row.app_name = app.name;
            row.user_id = user.id;
            row.user_login = user.login;
            row.first_seen = Timestamp{std::chrono::seconds{stats.first}};
            row.last_seen = Timestamp{std::chrono::seconds{stats.last}};
            row.events = stats.events;
            row.events_in_window = stats.in_window;
            usage.push_back(std::move(row));
        }
        return usage;
    }

private:
    static constexpr std::size_t k_queue = 16;
    static constexpr std::size_t k_max_queued_text = 1024;
    struct Queued {
        std::uint64_t hash = 0;
        std::int64_t published = 0;
        std::uint32_t at = 0;                  // in m_queue_text: user id, login, app id, label, name
        std::array<std::uint16_t, 5> sizes{};
    };

    static std::uint64_t pair_hash(std::string_view user_key, std::string_view app_id) noexcept {
        return hash_text(user_key) ^ (hash_text(app_id) * 0xD6E8FEB86659FD93ULL);
    }

    // The cached entry whose slot carries this hash's tag, first in probe order, or k_none. A
    // candidate only: apply() compares the keys.
    [[nodiscard]] std::uint32_t find_cached(std::uint64_t hash) const noexcept {
        if (m_cache_slots.empty()) {
            return Interner::k_none;
        }
        const std::size_t mask = m_cache_slots.size() - 1;
        const auto tag = static_cast<std::uint32_t>(hash >> 32);
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            const CacheSlot slot = m_cache_slots[i];
            if (slot.entry == Interner::k_none || slot.tag == tag) {
                return slot.entry;
            }
        }
    }

    void apply(std::string_view user_id, std::string_view login, std::string_view app_id, std::string_view label,
               std::string_view name, std::int64_t published, std::uint64_t hash) {
        const PairStats one{published, published, 1, published >= m_window_start ? 1u : 0u};
        const std::string_view user_key = user_id.empty() ? login : user_id;
        if (user_key.size() + app_id.size() > k_inline_keys) {
            add_stats(pair_index(user_index(user_key, user_id, login, false), app_index(app_id, label, name)), one);
            return;
        }
        // The usual case: one probe of the pair cache, whose entry holds both keys.
        if ((m_cache.size() + 1) * 2 > m_cache_slots.size()) {
            grow_cache();
        }
        const std::size_t mask = m_cache_slots.size() - 1;
        const auto tag = static_cast<std::uint32_t>(hash >> 32);
        std::size_t i = hash & mask;
        for (;; i = (i + 1) & mask) {
            const CacheSlot slot = m_cache_slots[i];
            if (slot.entry == Interner::k_none) {
                break;
            }
            CachedPair& cached = m_cache[slot.entry];
            if (slot.tag == tag && cached.user_size == user_key.size() && cached.app_size == app_id.size() &&
                std::memcmp(cached.keys, user_key.data(), user_key.size()) == 0 &&
                std::memcmp(cached.keys + user_key.size(), app_id.data(), app_id.size()) == 0) {
                if (!cached.complete) {
                    // Something may still be filled in: a login, an app label or name.
                    const std::uint32_t user = user_index(user_key, user_id, login, false);
                    const std::uint32_t app = app_index(app_id, label, name);
                    cached.complete = complete(user, app);
                }
                add_stats(cached.pair, one);
                return;
            }
        }
        const std::uint32_t user = user_index(user_key, user_id, login, false);
        const std::uint32_t app = app_index(app_id, label, name);
        const std::uint32_t pair = pair_index(user, app);
        CachedPair cached;
        cached.pair = pair;
        cached.user_size = static_cast<std::uint8_t>(user_key.size());
        cached.app_size = static_cast<std::uint8_t>(app_id.size());
        cached.complete = complete(user, app);
        std::memcpy(cached.keys, user_key.data(), user_key.size());
        std::memcpy(cached.keys + user_key.size(), app_id.data(), app_id.size());
        m_cache_slots[i] = CacheSlot{tag, static_cast<std::uint32_t>(m_cache.size())};
        m_cache.push_back(cached);
        add_stats(pair, one);
    }

    // A pair whose two keys fit in one cache line, found by one probe keyed by both strings.
    static constexpr std::size_t k_inline_keys = 56;
    struct CachedPair {
        std::uint32_t pair = 0;
        std::uint8_t user_size = 0;
        std::uint8_t app_size = 0;
        bool complete = false;  // login, app label and name known: nothing left to fill in
        char keys[k_inline_keys + 1] = {};  // user key, then app id
    };
    struct CacheSlot {
        std::uint32_t tag = 0;  // high half of the hash
        std::uint32_t entry = Interner::k_none;
    };

    [[nodiscard]] bool complete(std::uint32_t user, std::uint32_t app) const noexcept {
        return !m_users[user].login.empty() && !m_apps[app].label.empty() && !m_apps[app].name.empty();
    }

    void grow_cache() {
        std::vector<CacheSlot> old = std::move(m_cache_slots);
        m_cache_slots.assign(std::max<std::size_t>(1024, old.size() * 2), CacheSlot{});
        const std::size_t mask = m_cache_slots.size() - 1;
        for (std::size_t entry = 0; entry < m_cache.size(); ++entry) {
            const CachedPair& cached = m_cache[entry];
            const std::string_view user(cached.keys, cached.user_size);
            const std::string_view app(cached.keys + cached.user_size, cached.app_size);
            const std::uint64_t hash = pair_hash(user, app);
            std::size_t i = hash & mask;
            while (m_cache_slots[i].entry != Interner::k_none) {
                i = (i + 1) & mask;
            }
            m_cache_slots[i] = CacheSlot{static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(entry)};
        }
    }

    struct UserEntry {
        std::string id;
        std::string login;  // normalised like an email
    };
    struct AppEntry {
        std::string label;
        std::string name;
    };

    std::uint32_t user_index(std::string_view key, std::string_view id, std::string_view login, bool normalised) {
        const std::uint64_t hash = hash_text(key);
        std::uint32_t index = m_user_keys.find(key, hash);
        if (index == Interner::k_none) {
            index = m_user_keys.insert(key, hash);
            m_users.push_back(UserEntry{std::string(id), {}});
        }
        UserEntry& user = m_users[index];
        if (user.login.empty() && !login.empty()) {
            user.login = normalised ? std::string(login) : normalize_email(login);
        }
        return index;
    }

    std::uint32_t app_index(std::string_view id, std::string_view label, std::string_view name) {
        const std::uint64_t hash = hash_text(id);
        std::uint32_t index = m_app_keys.find(id, hash);
        if (index == Interner::k_none) {
            index = m_app_keys.insert(id, hash);
            m_apps.emplace_back();
        }
        AppEntry& app = m_apps[index];
        if (app.label.empty() && !label.empty()) {
            app.label = std::string(label);
        }
        if (app.name.empty() && !name.empty()) {
            app.name = std::string(name);
        }
        return index;
    }

    // The index of the pair's stats, added when new.
    std::uint32_t pair_index(std::uint32_t user, std::uint32_t app) {
        const std::uint64_t key = (std::uint64_t{user} << 32) | app;
        if ((m_pair_keys.size() + 1) * 2 > m_pair_slots.size()) {
            grow_pairs();
        }
        const std::size_t mask = m_pair_slots.size() - 1;
        for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
            const std::uint32_t slot = m_pair_slots[i];
            if (slot == Interner::k_none) {
                const auto index = static_cast<std::uint32_t>(m_pair_keys.size());
                m_pair_slots[i] = index;
                m_pair_keys.push_back(key);
                m_pairs.emplace_back();
                return index;
            }
            if (m_pair_keys[slot] == key) {
                return slot;
            }
        }
    }

    void add_stats(std::uint32_t index, const PairStats& more) noexcept {
        PairStats& stats = m_pairs[index];
        if (stats.events == 0 || more.first < stats.first) {
            stats.first = more.first;
        }
        if (stats.events == 0 || more.last > stats.last) {
            stats.last = more.last;
        }
        stats.events += more.events;
        stats.in_window += more.in_window;
    }

    static std::uint64_t mix(std::uint64_t key) noexcept {
        key *= 0x9E3779B97F4A7C15ULL;
        return key ^ (key >> 32);
    }

    void grow_pairs() {
        m_pair_slots.assign(std::max<std::size_t>(1024, m_pair_slots.size() * 2), Interner::k_none);
        const std::size_t mask = m_pair_slots.size() - 1;
        for (std::size_t index = 0; index < m_pair_keys.size(); ++index) {
            std::size_t i = mix(m_pair_keys[index]) & mask;
            while (m_pair_slots[i] != Interner::k_none) {
                i = (i + 1) & mask;
            }
            m_pair_slots[i] = static_cast<std::uint32_t>(index);
        }
    }

    std::int64_t m_as_of;
    std::int64_t m_window_start;
    Interner m_user_keys;  // actor.id, or the login as written when there is no id
    std::vector<UserEntry> m_users;
    Interner m_app_keys;   // AppInstance id
    std::vector<AppEntry> m_apps;
    std::vector<std::uint32_t> m_pair_slots;  // open addressing over m_pair_keys, at most half full
    std::vector<std::uint64_t> m_pair_keys;   // user << 32 | app, in order of first sight
    std::vector<PairStats> m_pairs;
    std::vector<CacheSlot> m_cache_slots;  // open addressing over m_cache, at most half full
    std::vector<CachedPair> m_cache;
    std::array<Queued, k_queue> m_queue{};
    std::size_t m_queued = 0;
    std::string m_queue_text;  // reserved once: the views flush() takes into it stay valid
};

}  // namespace stackaudit::connectors::okta_log
