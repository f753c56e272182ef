package com.tijorihq.tijori.accounts;

import java.net.InetSocketAddress;
import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.stereotype.Component;

import com.tijorihq.tijori.accounts.AuthRequests.LoginRequest;
import com.tijorihq.tijori.accounts.AuthRequests.RegisterRequest;
import com.tijorihq.tijori.common.RequestBodies;

@Component
class AuthHandler {

	private final AccountService accounts;

	private final RequestBodies bodies;

	AuthHandler(AccountService accounts, RequestBodies bodies) {
		this.accounts = accounts;
		this.bodies = bodies;
	}

	Mono<ServerResponse> register(ServerRequest request) {
		return this.bodies.read(request, RegisterRequest.class)
			.flatMap(body -> this.accounts.register(body, request.exchange()))
			.flatMap(user -> ServerResponse.created(URI.create("/api/auth/me")).bodyValue(UserResponse.of(user)));
	}

	Mono<ServerResponse> login(ServerRequest request) {
		return this.bodies.read(request, LoginRequest.class)
			.flatMap(body -> this.accounts.login(body, clientIp(request), request.exchange()))
			.flatMap(user -> ServerResponse.ok().bodyValue(UserResponse.of(user)));
	}

	Mono<ServerResponse> logout(ServerRequest request) {
		return this.accounts.logout(request.exchange()).then(ServerResponse.noContent().build());
	}

	Mono<ServerResponse> me(ServerRequest request) {
		return CurrentUser.require(request).flatMap(user -> ServerResponse.ok().bodyValue(UserResponse.of(user)));
	}

	/** The CSRF filter has already issued the {@code XSRF-TOKEN} cookie by the time this runs. */
	Mono<ServerResponse> csrf(ServerRequest request) {
		return ServerResponse.noContent().build();
	}

	private static String clientIp(ServerRequest request) {
		return request.remoteAddress()
			.map(InetSocketAddress::getAddress)
			.map(address -> address.getHostAddress())
			.orElse("unknown");
	}

}
