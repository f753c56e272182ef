/** Money, errors as RFC 9457 problems, ids, validation and schedulers shared by every feature. */
package com.tijorihq.tijori.common;
