package com.tijorihq.tijori.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.Session;

import com.tijorihq.tijori.accounts.WriteOnChangeSessionRepository.TrackedSession;

import static org.assertj.core.api.Assertions.assertThat;

/** When a session goes back to the store, over Spring Session's own in-memory repository. */
class WriteOnChangeSessionRepositoryTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final Duration TOUCH = Duration.ofMinutes(5);

	private final Map<String, Session> store = new ConcurrentHashMap<>();

	private final WriteOnChangeSessionRepository<?> sessions = new WriteOnChangeSessionRepository<>(
			new ReactiveMapSessionRepository(this.store), TOUCH);

	@Test
	void newSessionIsWritten() {
		TrackedSession<?> session = created();
		save(session);
		assertThat(this.store).containsKey(session.getId());
	}

	@Test
	void accessWithinTheTouchIntervalIsNotWritten() {
		TrackedSession<?> session = stored();
		Instant storedAccess = this.store.get(session.getId()).getLastAccessedTime();

		session.setLastAccessedTime(storedAccess.plus(TOUCH).minusSeconds(1));
		save(session);

		assertThat(this.store.get(session.getId()).getLastAccessedTime()).isEqualTo(storedAccess);
	}

	@Test
	void accessAfterTheTouchIntervalIsWrittenOnceToSlideTheExpiry() {
		TrackedSession<?> session = stored();
		Instant later = this.store.get(session.getId()).getLastAccessedTime().plus(TOUCH);

		session.setLastAccessedTime(later);
		save(session);
		assertThat(this.store.get(session.getId()).getLastAccessedTime()).isEqualTo(later);

		session.setLastAccessedTime(later.plusSeconds(30));
		save(session);
		assertThat(this.store.get(session.getId()).getLastAccessedTime()).as("the next write waits another interval")
			.isEqualTo(later);
	}

	@Test
	void changedAttributeIsWrittenAtOnce() {
		TrackedSession<?> session = stored();
		session.setAttribute("userId", "usr_2");
		save(session);
		assertThat(this.store.get(session.getId()).<String>getAttribute("userId")).isEqualTo("usr_2");
	}

	@Test
	void settingTheSameValueAgainIsNoChange() {
		TrackedSession<?> session = stored();
		this.store.get(session.getId()).setAttribute("marker", "kept");
		session.setAttribute("userId", "usr_1");
		session.removeAttribute("absent");
		save(session);
		assertThat(this.store.get(session.getId()).<String>getAttribute("marker")).as("store untouched")
			.isEqualTo("kept");
	}

	@Test
	void removedAttributeAndNewIdAreWritten() {
		TrackedSession<?> session = stored();
		String oldId = session.getId();
		session.removeAttribute("userId");
		session.changeSessionId();
		save(session);
		assertThat(this.store).doesNotContainKey(oldId);
		assertThat(this.store.get(session.getId()).getAttributeNames()).isEmpty();
	}

	/** A session with a user id, written and read back as a later request would. */
	private TrackedSession<?> stored() {
		TrackedSession<?> created = created();
		created.setAttribute("userId", "usr_1");
		save(created);
		return this.sessions.findById(created.getId()).block(WAIT);
	}

	private TrackedSession<?> created() {
		return this.sessions.createSession().block(WAIT);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void save(TrackedSession<?> session) {
		((WriteOnChangeSessionRepository) this.sessions).save(session).block(WAIT);
	}

}
