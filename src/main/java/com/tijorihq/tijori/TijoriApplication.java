package com.tijorihq.tijori;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Tijori: a reactive payment service. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TijoriApplication {

	public static void main(String[] args) {
		SpringApplication.run(TijoriApplication.class, args);
	}

}
