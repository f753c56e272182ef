package com.tijorihq.tijori.accounts;

import java.time.Instant;
import java.util.List;

import org.bson.types.ObjectId;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ServerWebExchange;

import com.tijorihq.tijori.accounts.AuthRequests.LoginRequest;
import com.tijorihq.tijori.accounts.AuthRequests.RegisterRequest;
import com.tijorihq.tijori.common.Ids;
import com.tijorihq.tijori.common.TijoriException;

/** Registration and login rules. */
@Service
class AccountService {

	private final UserRepository users;

	private final PasswordHasher hasher;

	private final LoginThrottle throttle;

	private final SessionLogin sessions;

	AccountService(UserRepository users, PasswordHasher hasher, LoginThrottle throttle, SessionLogin sessions) {
		this.users = users;
		this.hasher = hasher;
		this.throttle = throttle;
		this.sessions = sessions;
	}

	Mono<TijoriUser> register(RegisterRequest request, ServerWebExchange exchange) {
		return create(request.email(), request.password(), request.name(), List.of(TijoriUser.CUSTOMER))
			.flatMap(user -> this.sessions.logIn(exchange, user));
	}

	/** Creates an account; 409 when the email exists in any letter case. */
	Mono<TijoriUser> create(String email, String password, String name, List<String> roles) {
		return this.hasher.hash(password)
			.map(hash -> new UserDocument(new ObjectId(), Ids.next("usr_"), email.trim(),
					UserRepository.emailKey(email), name.trim(), hash, roles, Instant.now()))
			.flatMap(this.users::insert)
			.map(UserDocument::toUser)
			.onErrorMap(DuplicateKeyException.class,
					ex -> TijoriException.conflict("email_taken", "An account with this email already exists."));
	}

	Mono<TijoriUser> login(LoginRequest request, String clientIp, ServerWebExchange exchange) {
		String emailKey = UserRepository.emailKey(request.email());
		TijoriException badCredentials = new TijoriException(HttpStatus.UNAUTHORIZED, "bad_credentials",
				"Email or password is wrong.");
		return this.throttle.admit(emailKey, clientIp)
			.then(this.users.findByEmail(emailKey).map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty()))
			.flatMap(found -> this.hasher.matches(request.password(), found.map(UserDocument::passwordHash).orElse(null))
				.flatMap(ok -> ok ? this.throttle.succeeded(emailKey, clientIp).thenReturn(found.get().toUser())
						: Mono.error(badCredentials)))
			.flatMap(user -> this.sessions.logIn(exchange, user));
	}

	Mono<Void> logout(ServerWebExchange exchange) {
		return this.sessions.logOut(exchange);
	}

}
