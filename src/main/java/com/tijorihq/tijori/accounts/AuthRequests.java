package com.tijorihq.tijori.accounts;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Request bodies of {@code /api/auth}. */
final class AuthRequests {

	private AuthRequests() {
	}

	record RegisterRequest(@NotBlank @Email @Size(max = 254) String email,
			@NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") String password,
			@NotBlank @Size(max = 100) String name) {
	}

	record LoginRequest(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 128) String password) {
	}

}
