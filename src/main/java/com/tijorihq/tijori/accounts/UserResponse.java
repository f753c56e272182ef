package com.tijorihq.tijori.accounts;

import java.util.List;

/** The user as {@code /api/auth} returns it. */
record UserResponse(String id, String email, String name, List<String> roles) {

	static UserResponse of(TijoriUser user) {
		return new UserResponse(user.id(), user.email(), user.name(), user.roles());
	}

}
