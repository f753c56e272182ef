/** Accounts: registration, login, logout, sessions in MongoDB, CSRF and who may call what. */
package com.tijorihq.tijori.accounts;
