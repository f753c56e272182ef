package com.tijorihq.tijori.accounts;

import java.util.List;

/**
 * The signed-in user as other features see it. The session keeps its fields as plain attributes
 * ({@link SessionSecurityContexts}), never the object itself.
 */
public record TijoriUser(String id, String email, String name, List<String> roles) {

	public static final String ADMIN = "ADMIN";

	public static final String CUSTOMER = "CUSTOMER";

	public boolean isAdmin() {
		return this.roles.contains(ADMIN);
	}

}
