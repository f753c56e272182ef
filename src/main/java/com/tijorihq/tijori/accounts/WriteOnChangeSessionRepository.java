package com.tijorihq.tijori.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;

/**
 * Saves a session only when saving changes something that matters. Spring Session's web session store saves the
 * session at the end of every request that has one, and the Mongo repository then rewrites the whole document,
 * although usually only the last-access time moved. Here a session read from the store is written again only when
 * an attribute, its id or its timeout changed, or when its last access is at least {@code touchInterval} newer than
 * the stored one (so the sliding expiry keeps sliding, one write per interval). New sessions are always written.
 */
final class WriteOnChangeSessionRepository<S extends Session>
		implements ReactiveSessionRepository<WriteOnChangeSessionRepository.TrackedSession<S>> {

	private final ReactiveSessionRepository<S> sessions;

	private final Duration touchInterval;

	WriteOnChangeSessionRepository(ReactiveSessionRepository<S> sessions, Duration touchInterval) {
		this.sessions = sessions;
		this.touchInterval = touchInterval;
	}

	@Override
	public Mono<TrackedSession<S>> createSession() {
		return this.sessions.createSession().map(session -> new TrackedSession<>(session, null));
	}

	@Override
	public Mono<Void> save(TrackedSession<S> session) {
		return Mono.defer(() -> {
			if (!session.needsWrite(this.touchInterval)) {
				return Mono.empty();
			}
			Instant accessed = session.getLastAccessedTime();
			return this.sessions.save(session.session)
				.then(Mono.fromRunnable(() -> session.stored(accessed)));
		});
	}

	@Override
	public Mono<TrackedSession<S>> findById(String id) {
		return this.sessions.findById(id)
			.map(session -> new TrackedSession<>(session, session.getLastAccessedTime()));
	}

	@Override
	public Mono<Void> deleteById(String id) {
		return this.sessions.deleteById(id);
	}

	/** A session that remembers whether it changed since it was read or last written. */
	static final class TrackedSession<S extends Session> implements Session {

		private final S session;

		/** The last-access time the store holds; null while the session was never written. */
		private volatile Instant storedAccess;

		private volatile boolean changed;

		TrackedSession(S session, Instant storedAccess) {
			this.session = session;
			this.storedAccess = storedAccess;
		}

		boolean needsWrite(Duration touchInterval) {
			Instant stored = this.storedAccess;
			return this.changed || stored == null
					|| !this.session.getLastAccessedTime().isBefore(stored.plus(touchInterval));
		}

		private void stored(Instant accessed) {
			this.storedAccess = accessed;
			this.changed = false;
		}

		@Override
		public String getId() {
			return this.session.getId();
		}

		@Override
		public String changeSessionId() {
			this.changed = true;
			return this.session.changeSessionId();
		}

		@Override
		public <T> T getAttribute(String attributeName) {
			return this.session.getAttribute(attributeName);
		}

		@Override
		public Set<String> getAttributeNames() {
			return this.session.getAttributeNames();
		}

		@Override
		public void setAttribute(String attributeName, Object attributeValue) {
			if (!Objects.equals(this.session.getAttribute(attributeName), attributeValue)) {
				this.changed = true;
			}
			this.session.setAttribute(attributeName, attributeValue);
		}

		@Override
		public void removeAttribute(String attributeName) {
			if (this.session.getAttribute(attributeName) != null) {
				this.changed = true;
			}
			this.session.removeAttribute(attributeName);
		}

		@Override
		public Instant getCreationTime() {
			return this.session.getCreationTime();
		}

		@Override
		public void setLastAccessedTime(Instant lastAccessedTime) {
			this.session.setLastAccessedTime(lastAccessedTime);
		}

		@Override
		public Instant getLastAccessedTime() {
			return this.session.getLastAccessedTime();
		}

		@Override
		public void setMaxInactiveInterval(Duration interval) {
			if (!interval.equals(this.session.getMaxInactiveInterval())) {
				this.changed = true;
			}
			this.session.setMaxInactiveInterval(interval);
		}

		@Override
		public Duration getMaxInactiveInterval() {
			return this.session.getMaxInactiveInterval();
		}

		@Override
		public boolean isExpired() {
			return this.session.isExpired();
		}

	}

}
