package com.tijorihq.tijori.accounts;

import java.io.Serializable;
import java.util.List;

/**
 * The signed-in user as stored in the session (serialized with it, hence {@link Serializable}) and as other
 * features see it.
 */
public record TijoriUser(String id, String email, String name, List<String> roles) implements Serializable {

	public static final String ADMIN = "ADMIN";

	public static final String CUSTOMER = "CUSTOMER";

	public boolean isAdmin() {
		return this.roles.contains(ADMIN);
	}

}
